import type { LifecycleSettings, PrismaClient, WriteBackRun } from "@prisma/client";
import { fetchBulkOperation } from "~/admin-api/bulk-operations.server";
import { BULK_METAFIELDS_SET, BULK_TAGS_ADD, BULK_TAGS_REMOVE, startBulkMutation } from "~/admin-api/bulk-mutations.server";
import type { AdminApi } from "~/admin-api/client.server";
import { customerGid } from "~/admin-api/gid";
import { METAFIELDS_PER_SET } from "~/admin-api/metafields.server";
import { ownTags, splitTags } from "~/lifecycle/tags";
import { readJsonLines } from "~/sync/jsonl";
import {
  ensureLifecycleMetafieldDefinitions,
  markMetafieldsWritten,
  METAFIELD_NAMESPACE,
  planWriteBack,
  recordRefusals,
  recordTagWrites,
  tagsAfter,
  type MetafieldValues,
  type WriteBackPlan,
} from "./write-back.server";

/** More customers than this to write (a first run, a settings change) go through bulk mutations instead of direct calls. */
export const BULK_WRITE_THRESHOLD = 250;
// A bulk write whose lines Shopify partly refused is not tried in bulk again this soon: the rest goes
// through direct calls, whose errors fail the job visibly instead of looping through bulk runs.
const BULK_RETRY_AFTER_FAILURES_MS = 60 * 60 * 1000;

const BULK_MODES = ["bulk-add", "bulk-remove", "bulk-metafields"] as const;
type BulkMode = (typeof BULK_MODES)[number];

// What each line of a bulk write stood for, in upload order.
type TagLine = [customerId: string, tags: string[]];
type MetafieldLine = [customerId: string, values: MetafieldValues][];

/**
 * One step of a bulk write-back: tag additions, tag removals, then metafields, each one bulk
 * operation when enough customers need it. Waits while Shopify runs one (the job looks again
 * later); otherwise returns the plan of what is left, for direct writes. What each finished
 * operation did is read back line by line from its result file.
 */
export async function bulkWriteStep(
  db: PrismaClient,
  admin: () => Promise<AdminApi>,
  shop: string,
  settings: LifecycleSettings,
  now: () => Date,
  takeCost: () => number,
): Promise<{ waiting: true } | { waiting: false; plan: WriteBackPlan }> {
  const running = await db.writeBackRun.findFirst({ where: { shop, status: "running", mode: { in: [...BULK_MODES] } }, orderBy: { id: "desc" } });
  if (running) {
    const operation = await fetchBulkOperation(await admin(), running.bulkOperationId!);
    if (operation && ["CREATED", "RUNNING", "CANCELING"].includes(operation.status)) return { waiting: true };
    if (!operation || operation.status !== "COMPLETED") {
      const reason = `Bulk operation ${running.bulkOperationId} ${operation?.status ?? "not found"}${operation?.errorCode ? ` (${operation.errorCode})` : ""}`;
      await db.writeBackRun.update({
        where: { id: running.id },
        data: { status: "failed", finishedAt: now(), lastError: reason, items: null, queryCost: { increment: takeCost() } },
      });
      throw new Error(reason);
    }
    const { applied, failed } = await applyResults(db, shop, running, operation.url, now());
    await db.writeBackRun.update({
      where: { id: running.id },
      data: { status: "completed", finishedAt: now(), customers: applied, failed, items: null, queryCost: { increment: takeCost() } },
    });
  }

  const plan = await planWriteBack(db, shop, settings, "due");
  const next = await nextBulkWrite(db, shop, settings, plan, now());
  if (!next) return { waiting: false, plan };
  const api = await admin();
  if (next.mode === "bulk-metafields") await ensureLifecycleMetafieldDefinitions(db, api, shop, settings);
  const operationId = await startBulkMutation(api, next.mutation, next.variables);
  await db.writeBackRun.create({
    data: { shop, kind: next.kind, mode: next.mode, bulkOperationId: operationId, items: JSON.stringify(next.items), startedAt: now(), queryCost: takeCost() },
  });
  return { waiting: true };
}

/** The bulk write to start next, if enough customers need one. */
async function nextBulkWrite(db: PrismaClient, shop: string, settings: LifecycleSettings, plan: WriteBackPlan, now: Date) {
  const adds = settings.writeTags ? plan.tags.filter((entry) => entry.add.length > 0) : [];
  const removes = settings.writeTags ? plan.tags.filter((entry) => entry.remove.length > 0) : [];
  const sets = settings.writeMetafields ? plan.metafields.filter((entry) => entry.set.length > 0) : [];
  // Only a large write asks which bulk modes failed lately: a customer's own change reads no history.
  if (Math.max(adds.length, removes.length, sets.length) <= BULK_WRITE_THRESHOLD) return null;
  const recentlyFailed = new Set(
    (
      await db.writeBackRun.findMany({
        where: { shop, status: "completed", failed: { gt: 0 }, finishedAt: { gt: new Date(now.getTime() - BULK_RETRY_AFTER_FAILURES_MS) } },
        select: { mode: true },
      })
    ).map((run) => run.mode),
  );
  const allowed = (mode: BulkMode) => !recentlyFailed.has(mode);

  // Additions first: a customer is never left without a stage tag in between.
  if (adds.length > BULK_WRITE_THRESHOLD && allowed("bulk-add")) {
    const items: TagLine[] = adds.map((entry) => [entry.customerId, entry.add]);
    return { kind: "tags", mode: "bulk-add" as const, mutation: BULK_TAGS_ADD, items, variables: items.map(([id, tags]) => ({ id: customerGid(id), tags })) };
  }
  if (removes.length > BULK_WRITE_THRESHOLD && allowed("bulk-remove")) {
    const items: TagLine[] = removes.map((entry) => [entry.customerId, entry.remove]);
    return { kind: "tags", mode: "bulk-remove" as const, mutation: BULK_TAGS_REMOVE, items, variables: items.map(([id, tags]) => ({ id: customerGid(id), tags })) };
  }
  if (sets.length > BULK_WRITE_THRESHOLD && allowed("bulk-metafields")) {
    // Whole customers to a line (up to 25 fields), so a line's success is its customers' success.
    const items: MetafieldLine[] = [];
    const variables: { metafields: unknown[] }[] = [];
    let line: MetafieldLine = [];
    let fields: unknown[] = [];
    for (const entry of sets) {
      if (fields.length + entry.set.length > METAFIELDS_PER_SET) {
        items.push(line);
        variables.push({ metafields: fields });
        [line, fields] = [[], []];
      }
      line.push([entry.customerId, entry.values]);
      for (const [key, value] of entry.set)
        fields.push({ ownerId: customerGid(entry.customerId), namespace: METAFIELD_NAMESPACE, key, type: "single_line_text_field", value });
    }
    items.push(line);
    variables.push({ metafields: fields });
    return { kind: "metafields", mode: "bulk-metafields" as const, mutation: BULK_METAFIELDS_SET, items, variables };
  }
  return null;
}

/**
 * Applies every line Shopify ran without userErrors to our records; a tag line it refused (the
 * customer deleted in Shopify, say) sets that customer aside with the reason. Metafield lines hold
 * several customers: theirs stay due and go through direct calls, which split out the refused one.
 * Returns how many customers were written, and how many lines failed.
 */
async function applyResults(db: PrismaClient, shop: string, run: WriteBackRun, url: string | null, now: Date): Promise<{ applied: number; failed: number }> {
  const items = JSON.parse(run.items ?? "[]") as unknown[];
  const succeeded = new Map<number, unknown>();
  const refusedLines = new Map<number, string>();
  if (url) {
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new Error(`Downloading bulk results failed: HTTP ${response.status}`);
    for await (const [, line] of readJsonLines(response.body)) {
      const result = line as { __lineNumber?: number; data?: Record<string, { node?: unknown; userErrors?: { message: string }[] } | null> };
      const [operation, payload] = result.data ? (Object.entries(result.data)[0] ?? []) : [];
      if (result.__lineNumber === undefined || !payload) continue;
      const errors = payload.userErrors ?? [];
      if (errors.length === 0) succeeded.set(result.__lineNumber, payload.node ?? null);
      else refusedLines.set(result.__lineNumber, `${operation}: ${errors.map((error) => error.message).join("; ")}`);
    }
  }
  const failed = items.length - succeeded.size;
  if (run.mode === "bulk-metafields") {
    const written = (items as MetafieldLine[]).filter((_, index) => succeeded.has(index)).flat();
    await markMetafieldsWritten(
      db,
      shop,
      written.map(([customerId, values]) => ({ customerId, values })),
    );
    return { applied: written.length, failed };
  }
  const lines = (items as TagLine[]).flatMap((line, index) => (succeeded.has(index) ? [{ line, node: succeeded.get(index) }] : []));
  await applyTagLines(db, shop, lines, run.mode === "bulk-add", now);
  await recordRefusals(db, shop, new Map([...refusedLines].map(([index, reason]) => [(items as TagLine[])[index]![0], reason])), now);
  return { applied: lines.length, failed };
}

// Customers looked up and updated together: well under the database's bound-parameter limit.
const CUSTOMERS_PER_TRANSACTION = 500;

/** Records each customer's tags as Shopify answered for them (see recordTagWrites), and which of them are ours. */
async function applyTagLines(db: PrismaClient, shop: string, lines: readonly { line: TagLine; node: unknown }[], adding: boolean, now: Date) {
  for (let start = 0; start < lines.length; start += CUSTOMERS_PER_TRANSACTION) {
    const chunk = lines.slice(start, start + CUSTOMERS_PER_TRANSACTION);
    const ids = chunk.map(({ line: [id] }) => id);
    const [customers, lifecycles] = await Promise.all([
      db.customer.findMany({ where: { shop, id: { in: ids } }, select: { id: true, tags: true } }),
      db.customerLifecycle.findMany({ where: { shop, customerId: { in: ids } }, select: { customerId: true, writtenTags: true, pendingTags: true } }),
    ]);
    const held = new Map(customers.map((row) => [row.id, splitTags(row.tags)]));
    const marks = new Map(lifecycles.map((row) => [row.customerId, [...parseList(row.writtenTags), ...parseList(row.pendingTags)]]));
    await recordTagWrites(
      db,
      shop,
      chunk.flatMap(({ line: [customerId, tags], node }) => {
        const current = held.get(customerId);
        if (current === undefined || !marks.has(customerId)) return [];
        return [
          {
            customerId,
            node,
            tags: tagsAfter(node, current, adding ? { add: tags } : { remove: tags }),
            ours: [...ownTags(current, marks.get(customerId)!), ...(adding ? tags : [])],
          },
        ];
      }),
      now,
    );
  }
}

const parseList = (json: string | null) => (json ? (JSON.parse(json) as string[]) : []);
