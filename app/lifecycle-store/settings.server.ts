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

/**
 * Saves the merchant's changes. A changed tag prefix retires the old one (its tags are removed by
 * the next write-back); the caller then asks for a recompute, which re-tags what changed.
 */
export async function updateLifecycleSettings(db: PrismaClient, shop: string, change: LifecycleSettingsChange): Promise<LifecycleSettings> {
  const current = await lifecycleSettings(db, shop);
  const retired = new Set(JSON.parse(current.retiredTagPrefixes) as string[]);
  for (const key of ["stageTagPrefix", "rfmTagPrefix", "valueTagPrefix"] as const) {
    const next = change[key];
    if (next !== undefined && next !== current[key]) retired.add(current[key]);
  }
  for (const key of ["stageTagPrefix", "rfmTagPrefix", "valueTagPrefix"] as const) {
    const now = change[key] ?? current[key];
    retired.delete(now);
  }
  return db.lifecycleSettings.update({
    where: { shop },
    data: { ...change, retiredTagPrefixes: JSON.stringify([...retired]), version: { increment: 1 } },
  });
}
