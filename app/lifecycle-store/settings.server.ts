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
