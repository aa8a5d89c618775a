import type { LifecycleSettings, PrismaClient } from "@prisma/client";
import type { StageSettings } from "~/lifecycle/model";
import { shopRhythm, stageSettings, type ShopRhythm } from "~/lifecycle/rhythm";
import type { ValueBandSettings } from "~/lifecycle/value-band";

/** The shop's lifecycle settings row, created with the defaults on first use. */
export async function lifecycleSettings(db: PrismaClient, shop: string): Promise<LifecycleSettings> {
  return (await db.lifecycleSettings.findUnique({ where: { shop } })) ?? db.lifecycleSettings.upsert({ where: { shop }, create: { shop }, update: {} });
}

/** The rhythm the last full recompute learnt from the store, or the defaults' explanation before any. */
export function storedRhythm(settings: LifecycleSettings): ShopRhythm {
  return settings.rhythm ? (JSON.parse(settings.rhythm) as ShopRhythm) : shopRhythm([]);
}

/** What the rules run with: the store's rhythm, overridden by whatever the merchant set. */
export function effectiveSettings(settings: LifecycleSettings, rhythm: ShopRhythm): { stages: StageSettings; valueBands: ValueBandSettings } {
  return {
    stages: stageSettings(rhythm, {
      repurchaseIntervalDays: settings.repurchaseIntervalDays ?? undefined,
      lapseAfterDays: settings.lapseAfterDays ?? undefined,
      atRiskMultiple: settings.atRiskMultiple,
      loyalMinOrders: settings.loyalMinOrders,
    }),
    valueBands: { largeShare: settings.valueLargeShare, mediumShare: settings.valueMediumShare },
  };
}

export type LifecycleSettingsChange = Partial<
  Pick<
    LifecycleSettings,
    | "repurchaseIntervalDays"
    | "lapseAfterDays"
    | "atRiskMultiple"
    | "loyalMinOrders"
    | "valueLargeShare"
    | "valueMediumShare"
    | "stageTagPrefix"
    | "rfmTagPrefix"
    | "valueTagPrefix"
    | "writeTags"
    | "writeMetafields"
    | "writeSegments"
  >
>;

export const TAG_PREFIX_FIELDS = ["stageTagPrefix", "rfmTagPrefix", "valueTagPrefix"] as const;

/**
 * Saves the merchant's changes. A changed tag prefix withdraws the write-back approval in the same
 * write: nothing is written until the merchant has approved the new dry run (which re-tags everyone,
 * removing only the tags we wrote under the old prefix).
 */
export async function updateLifecycleSettings(db: PrismaClient, shop: string, change: LifecycleSettingsChange): Promise<LifecycleSettings> {
  const current = await lifecycleSettings(db, shop);
  const prefixChanged = TAG_PREFIX_FIELDS.some((key) => change[key] !== undefined && change[key] !== current[key]);
  return db.lifecycleSettings.update({
    where: { shop },
    data: { ...change, ...(prefixChanged ? { writeBackApprovedAt: null } : {}), version: { increment: 1 } },
  });
}
