import type { PrismaClient } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { requestWriteBack } from "~/jobs/catalogue.server";
import type { JobHandler } from "~/jobs/types";
import { lifecycleSettings } from "~/lifecycle-models/settings.server";
import { bulkWriteStep } from "./bulk-writes.server";
import {
  ensureLifecycleMetafieldDefinitions,
  finishDue,
  recordRefusals,
  staleSegments,
  writeMetafieldsDirectly,
  writeSegments,
  writeTagsDirectly,
} from "./write-back.server";

// A bulk write still running is looked at again after this; bulk_operations/finish wakes it sooner.
const BULK_POLL_MS = 5_000;

/** bulk_operations/finish: a write-back waiting for its bulk operation continues now. */
export async function wakeWaitingWriteBack(db: PrismaClient, shop: string, now = new Date()) {
  const waiting = await db.writeBackRun.findFirst({ where: { shop, status: "running", bulkOperationId: { not: null } }, select: { id: true } });
  if (waiting) await requestWriteBack(db, shop, now);
}

/**
 * Tells Shopify what changed: tags, metafields and segments, each only if switched on, and nothing
 * at all until the merchant has seen the dry run and approved the write. Only customers marked due
 * (their lifecycle or tags changed, or everyone after an approval) are read, so one customer's
 * change costs that customer's work. Many customers at once go through bulk mutations, which the
 * job waits for; the rest through direct calls. Each write is recorded as a run with the points it
 * cost and the customers Shopify refused, who are set aside without holding up the others.
 */
export const runWriteBackJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const shop = run.job.shop;
  const settings = await lifecycleSettings(db, shop);
  if (!settings.writeBackApprovedAt) return;

  let cost = 0;
  let api: AdminApi | undefined;
  // The shop's session is loaded only when something is to be written.
  const admin = async () => (api ??= await adminFor(shop, (points) => (cost += points)));
  const takeCost = () => {
    const points = cost;
    cost = 0;
    return points;
  };
  const refused = new Map<string, string>();
  const record = async (kind: string, work: () => Promise<{ written: number; refused?: ReadonlyMap<string, string> }>) => {
    takeCost();
    const started = await db.writeBackRun.create({ data: { shop, kind, mode: "direct", startedAt: now() } });
    try {
      const result = await work();
      for (const [customerId, reason] of result.refused ?? []) refused.set(customerId, refused.has(customerId) ? `${refused.get(customerId)}; ${reason}` : reason);
      await db.writeBackRun.update({
        where: { id: started.id },
        data: {
          status: "completed",
          customers: result.written,
          failed: result.refused?.size ?? 0,
          lastError: result.refused?.size ? [...result.refused.values()][0]! : null,
          queryCost: takeCost(),
          finishedAt: now(),
        },
      });
    } catch (error) {
      await db.writeBackRun.update({
        where: { id: started.id },
        data: { status: "failed", queryCost: takeCost(), finishedAt: now(), lastError: error instanceof Error ? error.message : String(error) },
      });
      throw error;
    }
  };

  const step = await bulkWriteStep(db, admin, shop, settings, now, takeCost);
  if (step.waiting) return { snoozeUntil: new Date(now().getTime() + BULK_POLL_MS) };
  const { plan } = step;
  if (settings.writeTags && plan.tags.length > 0) {
    await record("tags", async () => writeTagsDirectly(db, await admin(), shop, plan.tags, now));
  }
  if (settings.writeMetafields && plan.metafields.length > 0) {
    await record("metafields", async () => {
      const api = await admin();
      await ensureLifecycleMetafieldDefinitions(db, api, shop, settings);
      return writeMetafieldsDirectly(db, api, shop, plan.metafields);
    });
  }
  await recordRefusals(db, shop, refused, now());
  // Everyone looked at is now written, in step, or refused (tried again when they next change).
  await finishDue(db, shop, plan.looked);
  if (settings.writeSegments) {
    const stale = await staleSegments(db, shop, settings, plan.rfmGroups);
    if (stale.length > 0) await record("segments", async () => ({ written: await writeSegments(db, await admin(), shop, stale) }));
  }
};
