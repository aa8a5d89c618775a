import prisma from "~/db.server";
import { markWriteBackDue } from "~/write-back/write-back.server";
import { RECOMPUTE_JOB, requestRecompute, requestWriteBack } from "~/jobs/catalogue.server";
import { countActiveJobs } from "~/jobs/engines.server";
import type { LifecycleSettingsFormValues } from "./settings-form";
import { lifecycleSettings, storedRhythm, TAG_PREFIX_FIELDS, updateLifecycleSettings } from "./settings.server";

/*
 * What the admin's lifecycle settings page loads and saves.
 */

/** The settings as the form shows them, the store's own rhythm beside them, and whether a recompute runs or a dry run awaits approval. */
export async function loadLifecycleSettingsPage(shop: string, now: Date) {
  const settings = await lifecycleSettings(prisma, shop);
  const recomputing = await countActiveJobs(prisma, shop, RECOMPUTE_JOB, now);
  const rhythm = storedRhythm(settings);
  // Written before, not approved now: a changed prefix waits for the merchant to approve the new dry run.
  const awaitingApproval = !settings.writeBackApprovedAt && (await prisma.writeBackRun.count({ where: { shop } })) > 0;
  return {
    values: {
      repurchaseIntervalDays: settings.repurchaseIntervalDays?.toString() ?? "",
      lapseAfterDays: settings.lapseAfterDays?.toString() ?? "",
      atRiskMultiple: String(settings.atRiskMultiple),
      loyalMinOrders: String(settings.loyalMinOrders),
      valueLargePercent: String(Math.round(settings.valueLargeShare * 1000) / 10),
      valueMediumPercent: String(Math.round(settings.valueMediumShare * 1000) / 10),
      stageTagPrefix: settings.stageTagPrefix,
      rfmTagPrefix: settings.rfmTagPrefix,
      valueTagPrefix: settings.valueTagPrefix,
      writeTags: settings.writeTags,
      writeMetafields: settings.writeMetafields,
      writeSegments: settings.writeSegments,
    },
    // What the store's own orders suggest, shown beside the fields the merchant may override.
    rhythm: { interval: rhythm.repurchaseIntervalDays, lapse: rhythm.lapseAfterDays, explanation: rhythm.explanation },
    lastFullRunAt: settings.lastFullRunAt?.toISOString() ?? null,
    recomputing: recomputing > 0,
    awaitingApproval,
  };
}

// Changing these places customers differently: everyone is recomputed.
const RULE_FIELDS = ["repurchaseIntervalDays", "lapseAfterDays", "atRiskMultiple", "loyalMinOrders", "valueLargeShare", "valueMediumShare"] as const;
// Changing these changes what write-back tells Shopify about everyone.
const WRITE_BACK_FIELDS = ["writeTags", "writeMetafields", "writeSegments"] as const;

/**
 * Saves the form and requests what must follow: a recompute of everyone when the rules changed, a
 * write-back to everyone when a kind of write-back was switched on or off. Returns the saved
 * settings and the follow-ups it requested.
 */
export async function saveLifecycleSettings(shop: string, values: LifecycleSettingsFormValues) {
  const { valueLargePercent, valueMediumPercent, repurchaseIntervalDays, lapseAfterDays, ...rest } = values;
  const change = {
    ...rest,
    repurchaseIntervalDays: repurchaseIntervalDays ?? null,
    lapseAfterDays: lapseAfterDays ?? null,
    valueLargeShare: valueLargePercent / 100,
    valueMediumShare: valueMediumPercent / 100,
  };
  const before = await lifecycleSettings(prisma, shop);
  const settings = await updateLifecycleSettings(prisma, shop, change);
  const recompute = RULE_FIELDS.some((field) => change[field] !== before[field]);
  // The recompute asks for the write-back itself for the customers it moves.
  if (recompute) await requestRecompute(prisma, shop);
  // A changed prefix withdrew the approval (updateLifecycleSettings): approving the new dry run on
  // the dashboard looks at everyone again. A kind switched on or off needs everyone looked at now.
  const prefixChanged = TAG_PREFIX_FIELDS.some((field) => change[field] !== before[field]);
  const writeBack = !prefixChanged && WRITE_BACK_FIELDS.some((field) => change[field] !== before[field]);
  if (writeBack) {
    await markWriteBackDue(prisma, shop, "all");
    await requestWriteBack(prisma, shop);
  }
  return { settings, followUps: { recompute, writeBack } };
}
