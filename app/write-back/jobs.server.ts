import type { PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { lifecycleSettings } from "~/lifecycle-store/settings.server";
import { bulkTagsStep } from "./bulk-tags.server";
import { planTags, writeMetafields, writeSegments, writeTagsDirectly } from "./write-back.server";

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
 * at all until the merchant has seen the dry run and approved the first write. Each kind is
 * recorded as a run with the points it cost.
 */
export const runWriteBackJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const shop = run.job.shop;
  const settings = await lifecycleSettings(db, shop);
  if (!settings.writeBackApprovedAt) return;

  const record = async (kind: string, mode: string, work: (api: Awaited<ReturnType<typeof adminFor>>) => Promise<number>) => {
    let cost = 0;
    const api = await adminFor(shop, (points) => (cost += points));
    const started = await db.writeBackRun.create({ data: { shop, kind, mode, startedAt: now() } });
    try {
      const customers = await work(api);
      await db.writeBackRun.update({ where: { id: started.id }, data: { status: "completed", customers, queryCost: cost, finishedAt: now() } });
    } catch (error) {
      await db.writeBackRun.update({
        where: { id: started.id },
        data: { status: "failed", queryCost: cost, finishedAt: now(), lastError: error instanceof Error ? error.message : String(error) },
      });
      throw error;
    }
  };

  if (settings.writeTags) {
    // Many customers at once (a first run, a new prefix) go through bulk mutations; the job waits for them.
    let cost = 0;
    const api = await adminFor(shop, (points) => (cost += points));
    const takeCost = () => {
      const points = cost;
      cost = 0;
      return points;
    };
    const step = await bulkTagsStep(db, api, shop, () => planTags(db, shop, settings), now, takeCost);
    if (step === "waiting") return { snoozeUntil: new Date(now().getTime() + BULK_POLL_MS) };
    const plan = await planTags(db, shop, settings);
    if (plan.length > 0) await record("tags", "direct", (directApi) => writeTagsDirectly(db, directApi, shop, plan));
  }
  if (settings.writeMetafields) await record("metafields", "direct", (api) => writeMetafields(db, api, shop));
  if (settings.writeSegments) await record("segments", "direct", (api) => writeSegments(db, api, shop, settings));
};
