import type { AdminApi } from "~/admin-api/client.server";
import prisma from "~/db.server";
import { loyaltySummary } from "~/loyalty/summary";
import { redeemPoints } from "./redemptions.server";
import { loyaltySettings } from "./settings.server";

/*
 * What the storefront's App Proxy route changes for the logged-in customer.
 */

/**
 * One reward's points turned into the customer's own discount code (redeemPoints: the same key
 * returns the same redemption, and throws as it does). "off" while the programme is off.
 */
export async function redeemReward(shop: string, api: AdminApi, customerId: string, idempotencyKey: string, now: Date) {
  const settings = await loyaltySettings(prisma, shop);
  if (!settings.enabled) return { status: "off" as const };
  const redemption = await redeemPoints(prisma, api, shop, customerId, now, { idempotencyKey });
  // Failed before (this key sent again): the points came back, as they did the first time.
  if (redemption.status === "failed") return { status: "failed" as const };
  if (redemption.status !== "issued") return { status: "pending" as const };
  const account = await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop, customerId } } });
  return { status: "issued" as const, code: redemption.code, valueMinor: redemption.valueMinor, summary: loyaltySummary(account, settings) };
}
