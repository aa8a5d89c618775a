import type { PrismaClient, WriteBackRun } from "@prisma/client";
import { fetchBulkOperation } from "~/admin-api/bulk-operations.server";
import { BULK_TAGS_ADD, BULK_TAGS_REMOVE, startBulkMutation } from "~/admin-api/bulk-mutations.server";
import type { AdminApi } from "~/admin-api/client.server";
import { splitTags } from "~/lifecycle/tags";
import { readJsonLines } from "~/sync/jsonl";
import type { TagPlan } from "./write-back.server";

/** More customers than this to re-tag (a first run, a new tag prefix) go through bulk mutations instead of one call each. */
export const BULK_TAGS_THRESHOLD = 250;

type Item = [customerId: string, tags: string[]];

const gid = (customerId: string) => `gid://shopify/Customer/${customerId}`;

/**
 * One step of a bulk re-tag: additions first, then removals, each one bulk operation. Returns
 * "waiting" while Shopify runs one (the job looks again later), "done" when no bulk work is left.
 * What each finished operation did is read back line by line from its result file.
 */
export async function bulkTagsStep(
  db: PrismaClient,
  api: AdminApi,
  shop: string,
  plan: () => Promise<TagPlan[]>,
  now: () => Date,
  onCostOf: () => number,
): Promise<"waiting" | "done"> {
  const running = await db.writeBackRun.findFirst({ where: { shop, kind: "tags", status: "running", mode: { in: ["bulk-add", "bulk-remove"] } }, orderBy: { id: "desc" } });
  if (running) {
    const operation = await fetchBulkOperation(api, running.bulkOperationId!);
    if (operation && ["CREATED", "RUNNING", "CANCELING"].includes(operation.status)) return "waiting";
    if (!operation || operation.status !== "COMPLETED") {
      const reason = `Bulk operation ${running.bulkOperationId} ${operation?.status ?? "not found"}${operation?.errorCode ? ` (${operation.errorCode})` : ""}`;
      await db.writeBackRun.update({ where: { id: running.id }, data: { status: "failed", finishedAt: now(), lastError: reason, items: null, queryCost: { increment: onCostOf() } } });
      throw new Error(reason);
    }
    const applied = await applyResults(db, shop, running, operation.url);
    await db.writeBackRun.update({ where: { id: running.id }, data: { status: "completed", finishedAt: now(), customers: applied, items: null, queryCost: { increment: onCostOf() } } });
  }

  const remaining = await plan();
  if (remaining.length <= BULK_TAGS_THRESHOLD) return "done";
  const adds = remaining.filter((entry) => entry.add.length > 0);
  const [mode, mutation, items]: [string, string, Item[]] = adds.length
    ? ["bulk-add", BULK_TAGS_ADD, adds.map((entry) => [entry.customerId, entry.add])]
    : ["bulk-remove", BULK_TAGS_REMOVE, remaining.map((entry) => [entry.customerId, entry.remove])];
  const operationId = await startBulkMutation(api, mutation, items.map(([customerId, tags]) => ({ id: gid(customerId), tags })));
  await db.writeBackRun.create({
    data: { shop, kind: "tags", mode, bulkOperationId: operationId, items: JSON.stringify(items), startedAt: now(), queryCost: onCostOf() },
  });
  return "waiting";
}

/** Updates our copy of each customer's tags for every line Shopify applied without userErrors; returns how many. */
async function applyResults(db: PrismaClient, shop: string, run: WriteBackRun, url: string | null): Promise<number> {
  if (!url) return 0;
  const items = JSON.parse(run.items ?? "[]") as Item[];
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Downloading bulk results failed: HTTP ${response.status}`);
  const succeeded: Item[] = [];
  for await (const [, line] of readJsonLines(response.body)) {
    const result = line as { __lineNumber?: number; data?: Record<string, { userErrors?: unknown[] } | null> };
    const payload = result.data ? Object.values(result.data)[0] : null;
    const item = result.__lineNumber === undefined ? undefined : items[result.__lineNumber];
    if (item && payload && (payload.userErrors ?? []).length === 0) succeeded.push(item);
  }
  const customers = new Map((await db.customer.findMany({ where: { shop, id: { in: succeeded.map(([id]) => id) } }, select: { id: true, tags: true } })).map((row) => [row.id, row.tags]));
  const adding = run.mode === "bulk-add";
  const updates = succeeded.flatMap(([customerId, tags]) => {
    const current = customers.get(customerId);
    if (current === undefined) return [];
    const lower = new Set(tags.map((tag) => tag.toLowerCase()));
    const kept = splitTags(current).filter((tag) => !lower.has(tag.toLowerCase()));
    return [db.customer.updateMany({ where: { shop, id: customerId }, data: { tags: (adding ? [...kept, ...tags] : kept).join(", ") } })];
  });
  for (let start = 0; start < updates.length; start += 500) await db.$transaction(updates.slice(start, start + 500));
  return succeeded.length;
}
