import { Prisma, type LoyaltySettings, type PrismaClient } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { customerGid } from "~/admin-api/gid";
import { ensureMetafieldDefinition, METAFIELDS_PER_SET } from "~/admin-api/metafields.server";
import type { JobHandler } from "~/jobs/types";
import { loyaltySummary } from "~/loyalty/summary";
import { jsonTable, queryJsonRows } from "~/sql.server";
import { setMetafieldsExceptRefused, type OwnedMetafield } from "~/write-back/metafield-calls.server";
import { loyaltySettings } from "./settings.server";

export const LOYALTY_NAMESPACE = "$app:loyalty";
export const LOYALTY_SUMMARY_KEY = "summary";

// [customerId, summaryDue, available, pending, writtenMetafields, stage, referral code]
type PlanRow = [string, number, number, number, string | null, string | null, string | null];

/** A due account's summary as it should be, whether it differs from what we last wrote, and the version of its due mark. */
export interface SummaryPlan {
  customerId: string;
  due: number;
  value: string;
  changed: boolean;
}

/**
 * The due accounts' summaries (marked when their balance, stage or referral code changed, or by a
 * settings change): each account comes with its stage and code in one query (built as JSON by
 * SQLite), so one customer's change reads that customer, not every account of the shop.
 */
export async function planLoyaltyMetafields(db: PrismaClient, shop: string, settings: LoyaltySettings): Promise<SummaryPlan[]> {
  const rows = await queryJsonRows<PlanRow>(
    db,
    Prisma.sql`a."customerId", a."summaryDue", a."available", a."pending", a."writtenMetafields", l."stage", r."code"`,
    Prisma.sql`FROM "LoyaltyAccount" a
      LEFT JOIN "CustomerLifecycle" l ON l."shop" = a."shop" AND l."customerId" = a."customerId"
      LEFT JOIN "ReferralCode" r ON r."shop" = a."shop" AND r."customerId" = a."customerId" AND r."discountId" IS NOT NULL
      WHERE a."shop" = ${shop} AND a."summaryDue" > 0`,
  );
  return rows.map(([customerId, due, available, pending, written, stage, referralCode]) => {
    const value = JSON.stringify(loyaltySummary({ available, pending }, settings, { stage, referralCode, shop }));
    return { customerId, due, value, changed: value !== written };
  });
}

// Rows a statement writes at once (one JSON parameter).
const ROWS_PER_STATEMENT = 1_000;

/**
 * Writes the changed summaries, 25 customers to a metafieldsSet call, recording each call's
 * customers as written. A customer Shopify refuses (deleted there, say) is split out of the call
 * and recorded with the reason, without holding up the others; every account looked at is then
 * done with until it changes again.
 */
export async function writeLoyaltyMetafields(db: PrismaClient, api: () => Promise<AdminApi>, shop: string, settings: LoyaltySettings, now: Date): Promise<number> {
  const plan = await planLoyaltyMetafields(db, shop, settings);
  const changed = plan.filter((entry) => entry.changed);
  if (changed.length > 0 && !settings.metafieldDefinitionAt) {
    await ensureMetafieldDefinition(await api(), {
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
  const refused = new Map<string, string>();
  for (let start = 0; start < changed.length; start += METAFIELDS_PER_SET) {
    const call = changed.slice(start, start + METAFIELDS_PER_SET);
    const fields = call.map(
      ({ customerId, value }): OwnedMetafield => ({
        owner: customerId,
        input: { ownerId: customerGid(customerId), namespace: LOYALTY_NAMESPACE, key: LOYALTY_SUMMARY_KEY, type: "json", value },
      }),
    );
    for (const [customerId, reason] of await setMetafieldsExceptRefused(await api(), fields)) refused.set(customerId, reason);
    const written = call.filter(({ customerId }) => !refused.has(customerId)).map(({ customerId, value }) => [customerId, value]);
    await db.$executeRaw`
      ${jsonTable(db, "j", written, ["text", "text"])}
      UPDATE "LoyaltyAccount" SET "writtenMetafields" = j.c1, "summaryRefused" = NULL, "summaryRefusedAt" = NULL FROM j
      WHERE "LoyaltyAccount"."shop" = ${shop} AND "LoyaltyAccount"."customerId" = j.c0`;
  }
  const refusals = [...refused];
  for (let start = 0; start < refusals.length; start += ROWS_PER_STATEMENT) {
    await db.$executeRaw`
      ${jsonTable(db, "j", refusals.slice(start, start + ROWS_PER_STATEMENT), ["text", "text"])}
      UPDATE "LoyaltyAccount" SET "summaryRefused" = j.c1, "summaryRefusedAt" = ${now} FROM j
      WHERE "LoyaltyAccount"."shop" = ${shop} AND "LoyaltyAccount"."customerId" = j.c0`;
  }
  // Done with the versions read; a summary that changed meanwhile stays due (see CustomerLifecycle.writeBackDue).
  for (let start = 0; start < plan.length; start += ROWS_PER_STATEMENT) {
    const marks = plan.slice(start, start + ROWS_PER_STATEMENT).map(({ customerId, due }) => [customerId, due]);
    await db.$executeRaw`
      ${jsonTable(db, "j", marks, ["text", "integer"])}
      UPDATE "LoyaltyAccount" SET "summaryDue" = -"summaryDue" FROM j
      WHERE "LoyaltyAccount"."shop" = ${shop} AND "LoyaltyAccount"."customerId" = j.c0 AND "LoyaltyAccount"."summaryDue" = j.c1`;
  }
  return changed.length - refused.size;
}

export const runLoyaltyMetafieldsJob: JobHandler = async ({ db, adminFor, now }, run) => {
  const settings = await loyaltySettings(db, run.job.shop);
  if (!settings.enabled) return;
  let api: AdminApi | undefined;
  // The shop's session is loaded only when a summary is to be written.
  await writeLoyaltyMetafields(db, async () => (api ??= await adminFor(run.job.shop)), run.job.shop, settings, now());
};
