import { Prisma, type LoyaltyAccount, type LoyaltySettings, type PrismaClient } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { ensureMetafieldDefinition, METAFIELDS_PER_SET, setMetafields } from "~/admin-api/metafields.server";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { nextReward } from "~/loyalty/points";
import { queryJsonRows } from "~/sql.server";
import { loyaltySettings, pointsRulesOf } from "./settings.server";

export const LOYALTY_NAMESPACE = "$app:loyalty";
export const LOYALTY_SUMMARY_KEY = "summary";
export const LOYALTY_METAFIELDS_JOB = "loyalty-metafields";

/**
 * What the storefront shows a customer, ready to render: the theme block reads it in Liquid and
 * computes nothing. Amounts are minor units, for Liquid's `money` filter.
 */
export function loyaltySummary(
  account: Pick<LoyaltyAccount, "available" | "pending">,
  settings: LoyaltySettings,
  customer: { stage: string | null; referralCode: string | null; shop: string } = { stage: null, referralCode: null, shop: settings.shop },
) {
  const reward = nextReward(account, pointsRulesOf(settings));
  return {
    points: account.available,
    pending: account.pending,
    reward_points: reward.costPoints,
    reward_value_minor: reward.valueMinor,
    points_needed: reward.pointsNeeded,
    can_redeem: reward.pointsNeeded === 0,
    // The storefront's message depends on the stage; only advocates are shown a referral link.
    stage: customer.stage,
    referral_code: customer.referralCode,
    referral_url: customer.referralCode ? referralUrl(customer.shop, customer.referralCode) : null,
    friend_discount_percent: settings.friendDiscountPercent,
  };
}

/**
 * A referral link: Shopify's shareable discount link applies the friend's discount to their cart,
 * then lands on the home page with `?ref=`, which the storefront embed keeps with the cart.
 */
export function referralUrl(shop: string, code: string): string {
  const encoded = encodeURIComponent(code);
  return `https://${shop}/discount/${encoded}?redirect=${encodeURIComponent(`/?ref=${encoded}`)}`;
}

/** Queues the write of whatever changed; requests pile up into one job per shop. */
export async function requestLoyaltyMetafields(db: PrismaClient | Prisma.TransactionClient, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: LOYALTY_METAFIELDS_JOB, dedupeKey: "all", runAt: now });
}

// [customerId, available, pending, writtenMetafields, stage, referral code]
type PlanRow = [string, number, number, string | null, string | null, string | null];

/**
 * Customers whose summary differs from what we last wrote to Shopify. Runs after every lifecycle
 * change, so each account comes with its stage and code in one query (built as JSON by SQLite),
 * not with every customer of the shop read through Prisma.
 */
export async function planLoyaltyMetafields(db: PrismaClient, shop: string, settings: LoyaltySettings) {
  const rows = await queryJsonRows<PlanRow>(
    db,
    Prisma.sql`a."customerId", a."available", a."pending", a."writtenMetafields", l."stage", r."code"`,
    Prisma.sql`FROM "LoyaltyAccount" a
      LEFT JOIN "CustomerLifecycle" l ON l."shop" = a."shop" AND l."customerId" = a."customerId"
      LEFT JOIN "ReferralCode" r ON r."shop" = a."shop" AND r."customerId" = a."customerId" AND r."discountId" IS NOT NULL
      WHERE a."shop" = ${shop}`,
  );
  return rows.flatMap(([customerId, available, pending, written, stage, referralCode]) => {
    const value = JSON.stringify(loyaltySummary({ available, pending }, settings, { stage, referralCode, shop }));
    return value === written ? [] : [{ customerId, value }];
  });
}

/** Writes the changed summaries, 25 customers to a metafieldsSet call, recording each call's customers as written. */
export async function writeLoyaltyMetafields(db: PrismaClient, api: AdminApi, shop: string, settings: LoyaltySettings): Promise<number> {
  const plan = await planLoyaltyMetafields(db, shop, settings);
  if (plan.length === 0) return 0;
  if (!settings.metafieldDefinitionAt) {
    await ensureMetafieldDefinition(api, {
      namespace: LOYALTY_NAMESPACE,
      key: LOYALTY_SUMMARY_KEY,
      name: "Loyalty points",
      description: "The customer's points balance, pending points and next reward, as shown on the storefront.",
      type: "json",
      // The storefront block renders it from Liquid.
      storefront: "PUBLIC_READ",
    });
    await db.loyaltySettings.update({ where: { shop }, data: { metafieldDefinitionAt: new Date() } });
  }
  for (let start = 0; start < plan.length; start += METAFIELDS_PER_SET) {
    const call = plan.slice(start, start + METAFIELDS_PER_SET);
    await setMetafields(
      api,
      call.map(({ customerId, value }) => ({
        ownerId: `gid://shopify/Customer/${customerId}`,
        namespace: LOYALTY_NAMESPACE,
        key: LOYALTY_SUMMARY_KEY,
        type: "json",
        value,
      })),
    );
    await db.$transaction(
      call.map(({ customerId, value }) => db.loyaltyAccount.updateMany({ where: { shop, customerId }, data: { writtenMetafields: value } })),
    );
  }
  return plan.length;
}

export const runLoyaltyMetafieldsJob: JobHandler = async ({ db, adminFor }, run) => {
  const settings = await loyaltySettings(db, run.job.shop);
  if (!settings.enabled) return;
  await writeLoyaltyMetafields(db, await adminFor(run.job.shop), run.job.shop, settings);
};
