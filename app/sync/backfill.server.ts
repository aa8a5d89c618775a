import type { Backfill, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { BULK_CUSTOMERS_QUERY, BULK_ORDERS_QUERY, fetchBulkOperation, startBulkQuery } from "~/admin-api/bulk-operations.server";
import type { AdminApi } from "~/admin-api/client.server";
import { fetchShopOverview } from "~/admin-api/shop-overview.server";
import { AdminApiError } from "~/admin-api/errors";
import { fetchCustomersPage } from "~/admin-api/customers.server";
import { fetchOrdersPage } from "~/admin-api/orders.server";
import { requestBackfillStep, requestRecompute } from "~/jobs/catalogue.server";
import type { JobHandler, JobRun, Snooze, WorkContext } from "~/jobs/types";
import { decodePiece, linesOf, parseJsonLine, readLinePieces, splitPiece, type LinePiece } from "./jsonl";
import { customerFromGraphql, orderFromGraphql } from "./records";
import { bulkWriterFor } from "~/db.server";
import { dialectOf, refreshPlannerStatistics, sqliteDateTime } from "~/sql.server";
import { bulkRowWriter } from "./upserts.server";

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
  await requestBackfillStep(db, shop, backfill.id, now);
  return backfill;
}

/** Starts the shop's first backfill after install; a shop already backfilled is kept current by webhooks and reconciliation. */
export async function ensureInitialBackfill(db: PrismaClient, shop: string, now = new Date()) {
  const any = await db.backfill.findFirst({ where: { shop, status: { in: ["running", "completed"] } }, select: { id: true } });
  if (!any) await startBackfill(db, shop, "install", now);
}

/** bulk_operations/finish: the waiting backfill step can run now instead of at its next poll. */
export async function wakeWaitingBackfill(db: PrismaClient, shop: string, now = new Date()) {
  const running = await db.backfill.findFirst({ where: { shop, status: "running" }, orderBy: { id: "desc" } });
  if (running) await requestBackfillStep(db, shop, running.id, now);
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
      const step = await bulkPhase(context, api, backfill, phase, { takeCost, batchSize });
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
      // As the phase left it: the orders export asked for early is taken up below.
      backfill = step.backfill;
    } else {
      await paginatedPhase(context, api, backfill, phase, { takeCost, batchSize });
    }
    backfill = await db.backfill.update({
      where: { id: backfill.id },
      data: {
        phase: phase === "customers" ? "orders" : "done",
        // Each phase tries a bulk export first (the orders', if asked for early, is taken up now);
        // a finished backfill keeps how its last phase ran.
        ...(phase === "customers" ? { method: "bulk" } : {}),
        bulkOperationId: phase === "customers" ? backfill.ordersBulkOperationId : null,
        bulkRequestedAt: phase === "customers" ? backfill.ordersBulkRequestedAt : null,
        ordersBulkOperationId: null,
        ordersBulkRequestedAt: null,
        linesDone: 0,
        pageCursor: null,
        phaseStartedAt: now(),
        queryCost: { increment: takeCost() },
      },
    });
  }
  await db.backfill.update({ where: { id: backfill.id }, data: { status: "completed", finishedAt: now(), queryCost: { increment: takeCost() } } });
  // The recompute that follows reads every customer and order: planned for the tables as they now are.
  await refreshPlannerStatistics(db, { Customer: backfill.customersTotal ?? 0, Order: backfill.ordersTotal ?? 0 });
  // Everything is in: place every customer in the lifecycle.
  await requestRecompute(db, backfill.shop, now());
}

type BulkStep = { kind: "done"; backfill: Backfill } | { kind: "wait" } | { kind: "fallback"; reason: string };

interface BatchOptions {
  /** Cost points spent since the last call: recorded with each batch. */
  takeCost: () => number;
  batchSize: number;
}

async function bulkPhase(context: WorkContext, api: AdminApi, backfill: Backfill, phase: Phase, options: BatchOptions): Promise<BulkStep> {
  const { db, now } = context;
  let operationId = backfill.bulkOperationId;
  if (!operationId) {
    const requestedAt = now();
    try {
      const started = await startBulkQuery(api, phase === "customers" ? BULK_CUSTOMERS_QUERY : BULK_ORDERS_QUERY);
      operationId = started.id;
    } catch (error) {
      // The shop cannot run one now (another app's export, a refusal): read it page by page instead.
      if (error instanceof AdminApiError) return { kind: "fallback", reason: error.message };
      throw error;
    }
    backfill = await db.backfill.update({
      where: { id: backfill.id },
      data: { bulkOperationId: operationId, bulkRequestedAt: requestedAt, linesDone: 0, queryCost: { increment: options.takeCost() } },
    });
    if (phase === "customers") backfill = await startOrdersExportEarly(context, api, backfill, options);
  }
  const operation = await fetchBulkOperation(api, operationId);
  if (!operation) return { kind: "fallback", reason: `Bulk operation ${operationId} not found` };
  if (operation.status === "CREATED" || operation.status === "RUNNING" || operation.status === "CANCELING") return { kind: "wait" };
  if (operation.status !== "COMPLETED")
    return { kind: "fallback", reason: `Bulk operation ${operationId} ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}` };
  if (!operation.url) return { kind: "done", backfill }; // nothing to export

  const response = await fetch(operation.url);
  if (!response.ok || !response.body) throw new Error(`Downloading bulk operation ${operationId} failed: HTTP ${response.status}`);
  const writer = batchWriter(context, backfill, phase, options);
  // Lines up to linesDone were committed before a crash or restart: skip them, write the rest.
  for await (const piece of readLinePieces(response.body)) {
    if (piece.first + piece.lines - 1 > backfill.linesDone) await writer.addPiece(piece);
  }
  await writer.done();
  return { kind: "done", backfill };
}

/**
 * Asks for the orders export too, so that Shopify prepares it while the customers are written
 * (API 2026-01 and later run up to five bulk queries at a time per shop). If the shop refuses a
 * second one now, the orders phase asks again when it begins.
 */
async function startOrdersExportEarly(context: WorkContext, api: AdminApi, backfill: Backfill, options: BatchOptions): Promise<Backfill> {
  if (backfill.ordersBulkOperationId) return backfill;
  const requestedAt = context.now();
  try {
    const started = await startBulkQuery(api, BULK_ORDERS_QUERY);
    return await context.db.backfill.update({
      where: { id: backfill.id },
      data: { ordersBulkOperationId: started.id, ordersBulkRequestedAt: requestedAt, queryCost: { increment: options.takeCost() } },
    });
  } catch (error) {
    if (error instanceof AdminApiError) return backfill;
    throw error;
  }
}

// The progress a batch commits with its rows; the page cursor too when reading page by page.
const RECORD_PROGRESS = `UPDATE "Backfill" SET "linesDone" = ?1, "customersDone" = "customersDone" + ?2, "ordersDone" = "ordersDone" + ?3,
  "refundsDone" = "refundsDone" + ?4, "queryCost" = "queryCost" + ?5, "updatedAt" = ?6 WHERE "id" = ?7`;
const RECORD_PROGRESS_AND_CURSOR = `UPDATE "Backfill" SET "linesDone" = ?1, "customersDone" = "customersDone" + ?2, "ordersDone" = "ordersDone" + ?3,
  "refundsDone" = "refundsDone" + ?4, "queryCost" = "queryCost" + ?5, "updatedAt" = ?6, "pageCursor" = ?8 WHERE "id" = ?7`;

/**
 * Collects rows and writes them BACKFILL_BATCH_SIZE at a time, each batch in one transaction with its
 * progress, on the bulk writer's connection: a backfill writes hundreds of thousands of rows. A batch
 * of JSONL holds its lines as bytes, decoded and parsed only as each row is written, so that every
 * object made for a row is garbage before the next row instead of aging on the heap with the batch.
 */
function batchWriter(context: WorkContext, backfill: Backfill, phase: Phase, { takeCost, batchSize }: BatchOptions) {
  const { db, now } = context;
  const skip = backfill.linesDone;
  // Pieces of the JSONL file, or page nodes already parsed.
  let pending: ({ piece: LinePiece } | { node: unknown })[] = [];
  let pendingRows = 0;
  let lastLine = backfill.linesDone;

  // Takes the items out of `items` as it goes: a piece's bytes are the network's buffers, let go as
  // soon as they are decoded so that they die young instead of waiting for a full garbage collection.
  function* nodesOf(items: typeof pending): Generator<unknown> {
    for (let item = items.shift(); item; item = items.shift()) {
      if ("node" in item) {
        yield item.node;
        continue;
      }
      const decoded = decodePiece(item.piece);
      item = undefined;
      for (const [lineNumber, line] of linesOf(decoded)) if (lineNumber > skip) yield parseJsonLine(line, lineNumber);
    }
  }

  // On PostgreSQL a batch is read and parsed while the one before it is on the server (the bulk
  // writer there only hands statements over); it commits only once that one has, so the progress
  // committed never runs ahead of the rows. SQLite writes synchronously: nothing to overlap.
  const overlap = dialectOf(db) === "postgresql";
  let committing: Promise<unknown> = Promise.resolve();

  async function flush(pageCursor?: string | null) {
    if (pending.length === 0 && pageCursor === undefined) return;
    // A bulk export reads the shop some time after it was asked for; counting its rows as observed
    // then lets a webhook of the same second, triggered during the export, win the tie. Pages are read now.
    const observedAt = backfill.method === "bulk" ? backfill.bulkRequestedAt ?? backfill.phaseStartedAt : now();
    const items = pending;
    pending = [];
    pendingRows = 0;
    const cost = takeCost();
    const throughLine = lastLine;
    const previous = committing;
    const commit = bulkWriterFor(db).transaction((execute) => {
      const write = bulkRowWriter(execute, backfill.shop, observedAt);
      const written = { customers: 0, orders: 0, refunds: 0 };
      for (const node of nodesOf(items)) {
        if (phase === "customers") {
          write.customer(customerFromGraphql(node));
          written.customers += 1;
          continue;
        }
        const { order, refunds } = orderFromGraphql(node);
        write.order(order);
        for (const refund of refunds) write.refund(refund);
        written.orders += 1;
        written.refunds += refunds.length;
      }
      const progress = [throughLine, written.customers, written.orders, written.refunds, cost, sqliteDateTime(now()), backfill.id];
      if (pageCursor === undefined) execute(RECORD_PROGRESS, progress);
      else execute(RECORD_PROGRESS_AND_CURSOR, [...progress, pageCursor]);
    }, { after: previous, redoneIfLost: true });
    // Awaited by the next flush or by `done`; until then its failure is not an unhandled rejection.
    commit.catch(() => undefined);
    committing = commit;
    await (overlap ? previous : commit);
  }

  return {
    /** A piece of the JSONL file. */
    async addPiece(piece: LinePiece) {
      // A piece holding more lines than the batch has room for is cut: a batch is the unit of work redone after a crash.
      while (pendingRows + piece.lines > batchSize) {
        const [head, rest] = splitPiece(piece, batchSize - pendingRows);
        pending.push({ piece: head });
        lastLine = head.first + head.lines - 1;
        await flush();
        piece = rest;
      }
      if (piece.lines === 0) return;
      pending.push({ piece });
      pendingRows += piece.lines;
      lastLine = piece.first + piece.lines - 1;
      if (pendingRows >= batchSize) await flush();
    },
    /** One node of a page. */
    addNode(node: unknown) {
      pending.push({ node });
      pendingRows += 1;
    },
    flush,
    /** Writes what is left and waits until every batch has committed. */
    async done(pageCursor?: string | null) {
      await flush(pageCursor);
      await committing;
    },
  };
}

async function paginatedPhase(context: WorkContext, api: AdminApi, backfill: Backfill, phase: Phase, options: BatchOptions) {
  let after = backfill.pageCursor;
  const writer = batchWriter(context, backfill, phase, { ...options, batchSize: Number.POSITIVE_INFINITY });
  for (;;) {
    const page = phase === "customers" ? await fetchCustomersPage(api, { after, query: null }) : await fetchOrdersPage(api, { after, query: null });
    for (const node of page.nodes) writer.addNode(node);
    after = page.pageInfo.endCursor ?? after;
    // The cursor is committed with the page's rows: a restart continues from the next page.
    if (!page.pageInfo.hasNextPage) return writer.done(after);
    await writer.flush(after);
  }
}
