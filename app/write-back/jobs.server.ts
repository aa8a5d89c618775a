import type { PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { lifecycleSettings } from "~/lifecycle-store/settings.server";
import { planTags, writeMetafields, writeSegments, writeTagsDirectly } from "./write-back.server";

export const WRITE_BACK_JOB = "write-back";

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
    const plan = await planTags(db, shop, settings);
    if (plan.length > 0) await record("tags", "direct", (api) => writeTagsDirectly(db, api, shop, plan));
  }
  if (settings.writeMetafields) await record("metafields", "direct", (api) => writeMetafields(db, api, shop));
  if (settings.writeSegments) await record("segments", "direct", (api) => writeSegments(db, api, shop, settings));
};
