import type { LifecycleSettings, PrismaClient, WriteBackRun } from "@prisma/client";
import { fetchBulkOperation } from "~/admin-api/bulk-operations.server";
import { BULK_METAFIELDS_SET, BULK_TAGS_ADD, BULK_TAGS_REMOVE, startBulkMutation } from "~/admin-api/bulk-mutations.server";
import type { AdminApi } from "~/admin-api/client.server";
import { METAFIELDS_PER_SET } from "~/admin-api/metafields.server";
import { splitTags } from "~/lifecycle/tags";
import { readJsonLines } from "~/sync/jsonl";
import {
  customerGid,
  ensureLifecycleMetafieldDefinitions,
  markMetafieldsWritten,
  METAFIELD_NAMESPACE,
  planMetafields,
  planTags,
  type MetafieldValues,
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
 * operation when enough customers need it. Returns "waiting" while Shopify runs one (the job looks
 * again later), "done" when nothing is left for bulk. What each finished operation did is read back
 * line by line from its result file.
 */
export async function bulkWriteStep(
  db: PrismaClient,
  api: AdminApi,
  shop: string,
  settings: LifecycleSettings,
  now: () => Date,
  takeCost: () => number,
): Promise<"waiting" | "done"> {
  const running = await db.writeBackRun.findFirst({ where: { shop, status: "running", mode: { in: [...BULK_MODES] } }, orderBy: { id: "desc" } });
  if (running) {
    const operation = await fetchBulkOperation(api, running.bulkOperationId!);
    if (operation && ["CREATED", "RUNNING", "CANCELING"].includes(operation.status)) return "waiting";
    if (!operation || operation.status !== "COMPLETED") {
      const reason = `Bulk operation ${running.bulkOperationId} ${operation?.status ?? "not found"}${operation?.errorCode ? ` (${operation.errorCode})` : ""}`;
      await db.writeBackRun.update({
        where: { id: running.id },
        data: { status: "failed", finishedAt: now(), lastError: reason, items: null, queryCost: { increment: takeCost() } },
      });
      throw new Error(reason);
    }
    const { applied, failed } = await applyResults(db, shop, running, operation.url);
    await db.writeBackRun.update({
      where: { id: running.id },
      data: { status: "completed", finishedAt: now(), customers: applied, failed, items: null, queryCost: { increment: takeCost() } },
    });
  }

  const next = await nextBulkWrite(db, shop, settings, now());
  if (!next) return "done";
  if (next.mode === "bulk-metafields") await ensureLifecycleMetafieldDefinitions(db, api, shop, settings);
  const operationId = await startBulkMutation(api, next.mutation, next.variables);
  await db.writeBackRun.create({
    data: { shop, kind: next.kind, mode: next.mode, bulkOperationId: operationId, items: JSON.stringify(next.items), startedAt: now(), queryCost: takeCost() },
  });
  return "waiting";
}

/** The bulk write to start next, if enough customers need one. */
async function nextBulkWrite(db: PrismaClient, shop: string, settings: LifecycleSettings, now: Date) {
  const recentlyFailed = new Set(
    (
      await db.writeBackRun.findMany({
        where: { shop, status: "completed", failed: { gt: 0 }, finishedAt: { gt: new Date(now.getTime() - BULK_RETRY_AFTER_FAILURES_MS) } },
        select: { mode: true },
      })
    ).map((run) => run.mode),
  );
  const allowed = (mode: BulkMode) => !recentlyFailed.has(mode);

  if (settings.writeTags) {
    const plan = await planTags(db, shop, settings);
    const adds = plan.filter((entry) => entry.add.length > 0);
    const removes = plan.filter((entry) => entry.remove.length > 0);
    // Additions first: a customer is never left without a stage tag in between.
    if (adds.length > BULK_WRITE_THRESHOLD && allowed("bulk-add")) {
      const items: TagLine[] = adds.map((entry) => [entry.customerId, entry.add]);
      return { kind: "tags", mode: "bulk-add" as const, mutation: BULK_TAGS_ADD, items, variables: items.map(([id, tags]) => ({ id: customerGid(id), tags })) };
    }
    if (removes.length > BULK_WRITE_THRESHOLD && allowed("bulk-remove")) {
      const items: TagLine[] = removes.map((entry) => [entry.customerId, entry.remove]);
      return {
        kind: "tags",
        mode: "bulk-remove" as const,
        mutation: BULK_TAGS_REMOVE,
        items,
        variables: items.map(([id, tags]) => ({ id: customerGid(id), tags })),
      };
    }
  }
  if (settings.writeMetafields) {
    const plan = (await planMetafields(db, shop)).filter((entry) => entry.set.length > 0);
    if (plan.length > BULK_WRITE_THRESHOLD && allowed("bulk-metafields")) {
      // Whole customers to a line (up to 25 fields), so a line's success is its customers' success.
      const items: MetafieldLine[] = [];
      const variables: { metafields: unknown[] }[] = [];
      let line: MetafieldLine = [];
      let fields: unknown[] = [];
      for (const entry of plan) {
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
  }
  return null;
}

/** Applies every line Shopify ran without userErrors to our records; returns how many customers that was, and how many lines failed. */
async function applyResults(db: PrismaClient, shop: string, run: WriteBackRun, url: string | null): Promise<{ applied: number; failed: number }> {
  const items = JSON.parse(run.items ?? "[]") as unknown[];
  const succeeded = new Set<number>();
  if (url) {
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new Error(`Downloading bulk results failed: HTTP ${response.status}`);
    for await (const [, line] of readJsonLines(response.body)) {
      const result = line as { __lineNumber?: number; data?: Record<string, { userErrors?: unknown[] } | null> };
      const payload = result.data ? Object.values(result.data)[0] : null;
      if (result.__lineNumber !== undefined && payload && (payload.userErrors ?? []).length === 0) succeeded.add(result.__lineNumber);
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
  const lines = (items as TagLine[]).filter((_, index) => succeeded.has(index));
  await applyTagLines(db, shop, lines, run.mode === "bulk-add");
  return { applied: lines.length, failed };
}

// Customers looked up and updated together: well under the database's bound-parameter limit.
const CUSTOMERS_PER_TRANSACTION = 500;

/** Updates our copy of each customer's tags as Shopify now has them. */
async function applyTagLines(db: PrismaClient, shop: string, lines: readonly TagLine[], adding: boolean) {
  for (let start = 0; start < lines.length; start += CUSTOMERS_PER_TRANSACTION) {
    const chunk = lines.slice(start, start + CUSTOMERS_PER_TRANSACTION);
    const customers = new Map(
      (await db.customer.findMany({ where: { shop, id: { in: chunk.map(([id]) => id) } }, select: { id: true, tags: true } })).map((row) => [row.id, row.tags]),
    );
    const updates = chunk.flatMap(([customerId, tags]) => {
      const current = customers.get(customerId);
      if (current === undefined) return [];
      const lower = new Set(tags.map((tag) => tag.toLowerCase()));
      const kept = splitTags(current).filter((tag) => !lower.has(tag.toLowerCase()));
      return [db.customer.updateMany({ where: { shop, id: customerId }, data: { tags: (adding ? [...kept, ...tags] : kept).join(", ") } })];
    });
    await db.$transaction(updates);
  }
}
