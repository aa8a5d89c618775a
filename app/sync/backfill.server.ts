import type { Backfill, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { BULK_CUSTOMERS_QUERY, BULK_ORDERS_QUERY, fetchBulkOperation, startBulkQuery } from "~/admin-api/bulk-operations.server";
import type { AdminApi } from "~/admin-api/client.server";
import { fetchShopOverview } from "~/admin-api/shop-overview.server";
import { AdminApiError } from "~/admin-api/errors";
import { fetchCustomersPage } from "~/admin-api/customers.server";
import { fetchOrdersPage } from "~/admin-api/orders.server";
import { enqueueJob } from "~/jobs/queue.server";
import { requestRecompute } from "~/lifecycle-store/jobs.server";
import type { JobHandler, JobRun, Snooze, WorkContext } from "~/jobs/worker.server";
import { readJsonLines } from "./jsonl";
import { customerFromGraphql, orderFromGraphql, type CustomerRecord, type OrderRecord, type RefundRecord } from "./records";
import { upsertCustomers, upsertOrders, upsertRefunds } from "./store.server";

export const BACKFILL_JOB = "backfill";
type Phase = "customers" | "orders";

/** Rows written per transaction: the unit of progress, and of work redone after a crash. */
export const BACKFILL_BATCH_SIZE = 1_000;
// A bulk operation still running is looked at again after this; bulk_operations/finish wakes it sooner.
const BULK_POLL_MS = 5_000;

const BackfillJobPayload = z.object({ backfillId: z.number() });

/**
 * Starts a backfill of the shop (on install, or when the merchant asks), or returns the one already
 * running: there is never more than one at a time per shop.
 */
export async function startBackfill(db: PrismaClient, shop: string, trigger: "install" | "manual", now = new Date()): Promise<Backfill> {
  const running = await db.backfill.findFirst({ where: { shop, status: "running" }, orderBy: { id: "desc" } });
  const backfill = running ?? (await db.backfill.create({ data: { shop, trigger, startedAt: now, phaseStartedAt: now } }));
  await enqueueJob(db, { shop, kind: BACKFILL_JOB, dedupeKey: BACKFILL_JOB, payload: { backfillId: backfill.id }, runAt: now });
  return backfill;
}

/** Starts the shop's first backfill after install; a shop already backfilled is kept current by webhooks and reconciliation. */
export async function ensureInitialBackfill(db: PrismaClient, shop: string, now = new Date()) {
  const any = await db.backfill.findFirst({ where: { shop, status: { in: ["running", "completed"] } }, select: { id: true } });
  if (!any) await startBackfill(db, shop, "install", now);
}

/** bulk_operations/finish: the waiting backfill step can run now instead of at its next poll. */
export async function requestBackfillStep(context: WorkContext, shop: string) {
  const running = await context.db.backfill.findFirst({ where: { shop, status: "running" }, orderBy: { id: "desc" } });
  if (!running) return;
  await enqueueJob(context.db, { shop, kind: BACKFILL_JOB, dedupeKey: BACKFILL_JOB, payload: { backfillId: running.id }, runAt: context.now() });
  context.wake();
}

export interface BackfillProgress {
  status: string;
  phase: string;
  method: string;
  done: number;
  total: number | null;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
}

/** Progress for the admin UI: rows done of the store's total, the current rate and what is left at that rate. */
export function backfillProgress(backfill: Backfill, now: Date): BackfillProgress {
  const total = backfill.customersTotal === null || backfill.ordersTotal === null ? null : backfill.customersTotal + backfill.ordersTotal;
  const done = backfill.customersDone + backfill.ordersDone;
  const phaseDone = backfill.phase === "orders" ? backfill.ordersDone : backfill.phase === "customers" ? backfill.customersDone : 0;
  const seconds = (now.getTime() - backfill.phaseStartedAt.getTime()) / 1000;
  const rowsPerSecond = backfill.status === "running" && seconds > 0 && phaseDone > 0 ? phaseDone / seconds : null;
  const etaSeconds = rowsPerSecond && total !== null ? Math.max(total - done, 0) / rowsPerSecond : null;
  return { status: backfill.status, phase: backfill.phase, method: backfill.method, done, total, rowsPerSecond, etaSeconds };
}

/**
 * The backfill job: one phase at a time (customers, then orders with their refunds), each by a bulk
 * query streamed from its JSONL file, or page by page when the bulk operation failed or could not
 * start. Each batch commits together with the position reached, so a restart resumes exactly
 * there; every write is an upsert guarded by updatedAt, so running it again changes nothing.
 */
export const runBackfillJob: JobHandler = (context, run) => backfillStepOrFail(context, run, BACKFILL_BATCH_SIZE);

/** The backfill job with another batch size (tests use small batches to stop a backfill between them). */
export const backfillJobWithBatchSize =
  (batchSize: number): JobHandler =>
  (context, run) =>
    backfillStepOrFail(context, run, batchSize);

/** On the job's last attempt, a failure also ends the backfill (failed, with its reason) so the admin stops showing it as running. */
async function backfillStepOrFail(context: WorkContext, run: JobRun, batchSize: number): Promise<void | Snooze> {
  try {
    return await backfillStep(context, run, batchSize);
  } catch (error) {
    if (run.job.attempts >= run.job.maxAttempts) {
      const { backfillId } = BackfillJobPayload.parse(run.payload);
      await context.db.backfill.updateMany({
        where: { id: backfillId, status: "running" },
        data: { status: "failed", finishedAt: context.now(), lastError: error instanceof Error ? error.message : String(error) },
      });
    }
    throw error;
  }
}

async function backfillStep(context: WorkContext, run: JobRun, batchSize: number): Promise<void | Snooze> {
  const { db, now } = context;
  const { backfillId } = BackfillJobPayload.parse(run.payload);
  let backfill = await db.backfill.findUnique({ where: { id: backfillId } });
  if (!backfill || backfill.status !== "running" || backfill.shop !== run.job.shop) return;
  let unrecordedCost = 0;
  const api = await context.adminFor(backfill.shop, (points) => (unrecordedCost += points));
  const takeCost = () => {
    const points = unrecordedCost;
    unrecordedCost = 0;
    return points;
  };

  if (backfill.customersTotal === null || backfill.ordersTotal === null) {
    // The denominators of progress, and the shop's currency and time zone that every amount and day is read in.
    const overview = await fetchShopOverview(api);
    const { name, currencyCode, ianaTimezone } = overview.shop;
    // The shop first: if the process dies in between, the totals are still missing and both are read again.
    await db.shop.upsert({
      where: { shop: backfill.shop },
      create: { shop: backfill.shop, name, currencyCode, ianaTimezone },
      update: { name, currencyCode, ianaTimezone },
    });
    backfill = await db.backfill.update({
      where: { id: backfill.id },
      data: { customersTotal: overview.customersCount?.count ?? null, ordersTotal: overview.ordersCount?.count ?? null, queryCost: { increment: takeCost() } },
    });
  }

  while (backfill.phase === "customers" || backfill.phase === "orders") {
    const phase: Phase = backfill.phase;
    if (backfill.method === "bulk") {
      const step = await bulkPhase(context, api, backfill, phase, { heartbeat: run.heartbeat, takeCost, batchSize });
      if (step.kind === "wait") {
        await db.backfill.update({ where: { id: backfill.id }, data: { queryCost: { increment: takeCost() } } });
        return { snoozeUntil: new Date(now().getTime() + BULK_POLL_MS) };
      }
      if (step.kind === "fallback") {
        backfill = await db.backfill.update({
          where: { id: backfill.id },
          data: { method: "paginated", pageCursor: null, lastError: step.reason },
        });
        continue;
      }
    } else {
      await paginatedPhase(context, api, backfill, phase, { heartbeat: run.heartbeat, takeCost, batchSize });
    }
    backfill = await db.backfill.update({
      where: { id: backfill.id },
      data: {
        phase: phase === "customers" ? "orders" : "done",
        // Each phase tries a bulk export first; a finished backfill keeps how its last phase ran.
        ...(phase === "customers" ? { method: "bulk" } : {}),
        bulkOperationId: null,
        linesDone: 0,
        pageCursor: null,
        phaseStartedAt: now(),
        queryCost: { increment: takeCost() },
      },
    });
  }
  await db.backfill.update({ where: { id: backfill.id }, data: { status: "completed", finishedAt: now(), queryCost: { increment: takeCost() } } });
  // Everything is in: place every customer in the lifecycle.
  await requestRecompute(db, backfill.shop, now());
}

type BulkStep = { kind: "done" } | { kind: "wait" } | { kind: "fallback"; reason: string };

interface BatchOptions {
  heartbeat: () => Promise<boolean>;
  /** Cost points spent since the last call: recorded with each batch. */
  takeCost: () => number;
  batchSize: number;
}

async function bulkPhase(context: WorkContext, api: AdminApi, backfill: Backfill, phase: Phase, options: BatchOptions): Promise<BulkStep> {
  const { db } = context;
  let operationId = backfill.bulkOperationId;
  if (!operationId) {
    try {
      const started = await startBulkQuery(api, phase === "customers" ? BULK_CUSTOMERS_QUERY : BULK_ORDERS_QUERY);
      operationId = started.id;
    } catch (error) {
      // The shop cannot run one now (another app's export, a refusal): read it page by page instead.
      if (error instanceof AdminApiError) return { kind: "fallback", reason: error.message };
      throw error;
    }
    await db.backfill.update({
      where: { id: backfill.id },
      data: { bulkOperationId: operationId, linesDone: 0, queryCost: { increment: options.takeCost() } },
    });
  }
  const operation = await fetchBulkOperation(api, operationId);
  if (!operation) return { kind: "fallback", reason: `Bulk operation ${operationId} not found` };
  if (operation.status === "CREATED" || operation.status === "RUNNING" || operation.status === "CANCELING") return { kind: "wait" };
  if (operation.status !== "COMPLETED")
    return { kind: "fallback", reason: `Bulk operation ${operationId} ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}` };
  if (!operation.url) return { kind: "done" }; // nothing to export

  const response = await fetch(operation.url);
  if (!response.ok || !response.body) throw new Error(`Downloading bulk operation ${operationId} failed: HTTP ${response.status}`);
  const writer = batchWriter(context, backfill, phase, options);
  // Lines up to linesDone were committed before a crash or restart: skip them, write the rest.
  const skip = backfill.linesDone;
  for await (const [lineNumber, row] of readJsonLines(response.body)) {
    if (lineNumber <= skip) continue;
    await writer.add(row, lineNumber);
  }
  await writer.flush();
  return { kind: "done" };
}

/** Collects rows and writes them BACKFILL_BATCH_SIZE at a time, each batch in one transaction with its progress. */
function batchWriter(context: WorkContext, backfill: Backfill, phase: Phase, { heartbeat, takeCost, batchSize }: BatchOptions) {
  const { db, now } = context;
  let customers: CustomerRecord[] = [];
  let orders: OrderRecord[] = [];
  let refunds: RefundRecord[] = [];
  let lastLine = backfill.linesDone;
  let rows = 0;

  async function flush(pageCursor?: string | null) {
    if (rows === 0 && pageCursor === undefined) return;
    // A bulk export is a snapshot taken some time after its phase began; counting it as observed then
    // lets a webhook of the same second, triggered during the export, win the tie. Pages are read now.
    const observedAt = backfill.method === "bulk" ? backfill.phaseStartedAt : now();
    const [batchCustomers, batchOrders, batchRefunds] = [customers, orders, refunds];
    customers = [];
    orders = [];
    refunds = [];
    await db.$transaction(async (tx) => {
      if (batchCustomers.length) await upsertCustomers(tx, backfill.shop, batchCustomers, observedAt);
      if (batchOrders.length) await upsertOrders(tx, backfill.shop, batchOrders, observedAt);
      if (batchRefunds.length) await upsertRefunds(tx, backfill.shop, batchRefunds);
      await tx.backfill.update({
        where: { id: backfill.id },
        data: {
          linesDone: lastLine,
          ...(pageCursor === undefined ? {} : { pageCursor }),
          customersDone: { increment: batchCustomers.length },
          ordersDone: { increment: batchOrders.length },
          refundsDone: { increment: batchRefunds.length },
          queryCost: { increment: takeCost() },
        },
      });
    });
    rows = 0;
    // Someone else took the job over (this process stalled past its lease): stop rather than race it.
    if (!(await heartbeat())) throw new Error("Backfill lease lost; another worker continues it");
  }

  return {
    async add(row: unknown, lineNumber: number) {
      if (phase === "customers") customers.push(customerFromGraphql(row));
      else {
        const { order, refunds: orderRefunds } = orderFromGraphql(row);
        orders.push(order);
        refunds.push(...orderRefunds);
      }
      lastLine = lineNumber;
      rows += 1;
      if (rows >= batchSize) await flush();
    },
    flush,
  };
}

async function paginatedPhase(context: WorkContext, api: AdminApi, backfill: Backfill, phase: Phase, options: BatchOptions) {
  let after = backfill.pageCursor;
  const writer = batchWriter(context, backfill, phase, { ...options, batchSize: Number.POSITIVE_INFINITY });
  for (;;) {
    const page = phase === "customers" ? await fetchCustomersPage(api, { after, query: null }) : await fetchOrdersPage(api, { after, query: null });
    for (const node of page.nodes) await writer.add(node, 0);
    after = page.pageInfo.endCursor ?? after;
    // The cursor is committed with the page's rows: a restart continues from the next page.
    await writer.flush(after);
    if (!page.pageInfo.hasNextPage) return;
  }
}
