import type { PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { lifecycleSettings } from "~/lifecycle-store/settings.server";
import { bulkWriteStep } from "./bulk-writes.server";
import {
  ensureLifecycleMetafieldDefinitions,
  planMetafields,
  planTags,
  staleSegments,
  writeMetafieldsDirectly,
  writeSegments,
  writeTagsDirectly,
} from "./write-back.server";

export const WRITE_BACK_JOB = "write-back";
// A bulk write still running is looked at again after this; bulk_operations/finish wakes it sooner.
const BULK_POLL_MS = 5_000;

/** bulk_operations/finish: a write-back waiting for its bulk operation continues now. */
export async function wakeWaitingWriteBack(db: PrismaClient, shop: string, now = new Date()) {
  const waiting = await db.writeBackRun.findFirst({ where: { shop, status: "running", bulkOperationId: { not: null } }, select: { id: true } });
  if (waiting) await requestWriteBack(db, shop, now);
}

/** Queues a write-back of whatever changed; requests pile up into one job per shop. */
export async function requestWriteBack(db: PrismaClient, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: WRITE_BACK_JOB, dedupeKey: "all", runAt: now });
}

/**
 * Tells Shopify what changed: tags, metafields and segments, each only if switched on, and nothing
 * at all until the merchant has seen the dry run and approved the first write. Many customers at
 * once (a first run, a settings change) go through bulk mutations, which the job waits for; the
 * rest through direct calls. Each write is recorded as a run with the points it cost.
 */
export const runWriteBackJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const shop = run.job.shop;
  const settings = await lifecycleSettings(db, shop);
  if (!settings.writeBackApprovedAt) return;

  let cost = 0;
  const api = await adminFor(shop, (points) => (cost += points));
  const takeCost = () => {
    const points = cost;
    cost = 0;
    return points;
  };
  const record = async (kind: string, work: () => Promise<number>) => {
    takeCost();
    const started = await db.writeBackRun.create({ data: { shop, kind, mode: "direct", startedAt: now() } });
    try {
      const customers = await work();
      await db.writeBackRun.update({ where: { id: started.id }, data: { status: "completed", customers, queryCost: takeCost(), finishedAt: now() } });
    } catch (error) {
      await db.writeBackRun.update({
        where: { id: started.id },
        data: { status: "failed", queryCost: takeCost(), finishedAt: now(), lastError: error instanceof Error ? error.message : String(error) },
      });
      throw error;
    }
  };

  if ((await bulkWriteStep(db, api, shop, settings, now, takeCost)) === "waiting") return { snoozeUntil: new Date(now().getTime() + BULK_POLL_MS) };
  if (settings.writeTags) {
    const plan = await planTags(db, shop, settings);
    if (plan.length > 0) await record("tags", () => writeTagsDirectly(db, api, shop, plan));
  }
  if (settings.writeMetafields) {
    const plan = await planMetafields(db, shop);
    if (plan.length > 0) {
      await record("metafields", async () => {
        await ensureLifecycleMetafieldDefinitions(db, api, shop, settings);
        return writeMetafieldsDirectly(db, api, shop, plan);
      });
    }
  }
  if (settings.writeSegments) {
    const stale = await staleSegments(db, shop, settings);
    if (stale.length > 0) await record("segments", () => writeSegments(db, api, shop, stale));
  }
};
