import type { LoyaltySettings, PrismaClient } from "@prisma/client";
import { setAppDataMetafields } from "~/admin-api/app-installation.server";
import { requestLoyaltyMetafields, requestProgrammeState, requestReferralCodes } from "~/jobs/catalogue.server";
import type { JobHandler } from "~/jobs/types";
import { loyaltySettings } from "./settings.server";

/**
 * Whether the programme is on, as the theme reads it: an app-data metafield (boolean) on our
 * installation, which the blocks' `available_if` names (`app.metafields.loyalty.enabled`). Until it
 * is true, Shopify renders neither block. No business numbers go there: the blocks read those from
 * each customer's summary.
 */
export const PROGRAMME_METAFIELD = { namespace: "loyalty", key: "enabled" } as const;

export const runLoyaltyProgrammeJob: JobHandler = async ({ db, adminFor }, run) => {
  const { enabled } = await loyaltySettings(db, run.job.shop);
  await setAppDataMetafields(await adminFor(run.job.shop), [{ ...PROGRAMME_METAFIELD, type: "boolean", value: String(enabled) }]);
};

/**
 * The merchant turns the programme on (the Loyalty page's onboarding): orders from now on earn,
 * the theme shows the block, advocates get their codes and every customer their summary.
 */
export async function turnProgrammeOn(db: PrismaClient, shop: string, now: Date): Promise<LoyaltySettings> {
  const before = await loyaltySettings(db, shop);
  if (before.enabled) return before;
  // Shopify's times are whole seconds: an order placed in the second the programme starts earns.
  const earnSince = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const settings = await db.loyaltySettings.update({ where: { shop }, data: { enabled: true, earnSince } });
  await requestProgrammeState(db, shop, now);
  await requestReferralCodes(db, shop, now);
  await requestLoyaltyMetafields(db, shop, now);
  return settings;
}

/** The merchant turns the programme off: nothing earns, /redeem refuses, the theme hides the block. */
export async function turnProgrammeOff(db: PrismaClient, shop: string, now: Date): Promise<LoyaltySettings> {
  const settings = await db.loyaltySettings.update({ where: { shop }, data: { enabled: false } });
  await requestProgrammeState(db, shop, now);
  return settings;
}
