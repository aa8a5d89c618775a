import { randomBytes } from "node:crypto";
import type { PrismaClient, Redemption } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { createCustomerDiscountCode, findDiscountByCode } from "~/admin-api/discounts.server";
import { balanceOf, redemptionFor, type EntryKind } from "~/loyalty/points";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { fromMinorUnits } from "~/sync/records";
import { z } from "zod";
import { appendEntry, refreshAccount } from "./ledger.server";
import { loyaltySettings, pointsRulesOf } from "./settings.server";

export const REDEMPTION_JOB = "redemption";
// How long the inline attempt has before the safety net looks at a redemption.
const RECOVERY_DELAY_MS = 2 * 60 * 1000;

export class RedemptionFailedError extends Error {
  override readonly name = "RedemptionFailedError";
}

// Unambiguous characters only: customers type these codes at checkout.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function newRewardCode(): string {
  const bytes = randomBytes(10);
  return `REWARD-${Array.from(bytes, (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join("")}`;
}

/**
 * Takes one reward's points from the customer's spendable balance and records the redemption, in
 * one transaction that first locks the customer's account: two redemptions at once run one after
 * the other, and the second sees what the first spent, so the balance can never be overspent.
 */
export async function reservePoints(db: PrismaClient, shop: string, customerId: string, code: string, now: Date): Promise<Redemption> {
  const [settings, shopRow] = await Promise.all([loyaltySettings(db, shop), db.shop.findUnique({ where: { shop }, select: { currencyCode: true } })]);
  return db.$transaction(async (tx) => {
    // The lock: an update of the account row (on PostgreSQL a row lock held to the end of the transaction).
    await tx.loyaltyAccount.upsert({ where: { shop_customerId: { shop, customerId } }, create: { shop, customerId }, update: { updatedAt: now } });
    const entries = await tx.pointsEntry.findMany({ where: { shop, customerId } });
    const balance = balanceOf(
      entries.map((entry) => ({ kind: entry.kind as EntryKind, points: entry.points, at: entry.at, availableAt: entry.availableAt })),
      now,
    );
    const reward = redemptionFor(balance, pointsRulesOf(settings));
    const redemption = await tx.redemption.create({
      data: { shop, customerId, points: reward.points, valueMinor: reward.valueMinor, currencyCode: shopRow?.currencyCode ?? "USD", code, createdAt: now },
    });
    await appendEntry(tx, shop, {
      customerId,
      source: "redemption",
      sourceId: String(redemption.id),
      kind: "redeem",
      points: -reward.points,
      at: now,
      availableAt: now,
    });
    // Should this process die before the code is confirmed, the job finishes it (or gives the points back).
    await enqueueJob(tx, {
      shop,
      kind: REDEMPTION_JOB,
      dedupeKey: String(redemption.id),
      payload: { redemptionId: redemption.id },
      runAt: new Date(now.getTime() + RECOVERY_DELAY_MS),
    });
    return redemption;
  });
}

/** The discount's title names the redemption: a retry recognises the code it made before. */
export const rewardTitle = (redemption: Pick<Redemption, "id" | "points">) => `Loyalty reward #${redemption.id} (${redemption.points} points)`;

/**
 * Makes sure Shopify holds the redemption's code: created once (a retry after a crash finds the
 * code it already made). When Shopify refuses, the points go back and the redemption is failed.
 */
export async function issueRedemption(db: PrismaClient, api: AdminApi, redemption: Redemption, now: Date): Promise<Redemption> {
  try {
    const title = rewardTitle(redemption);
    const existing = await findDiscountByCode(api, redemption.code);
    if (existing && existing.title !== title) throw new Error(`The code ${redemption.code} is already used by another discount`);
    const discountId =
      existing?.id ??
      (await createCustomerDiscountCode(api, {
        title,
        code: redemption.code,
        customerGid: `gid://shopify/Customer/${redemption.customerId}`,
        amount: fromMinorUnits(redemption.valueMinor, redemption.currencyCode),
        startsAt: redemption.createdAt,
      }));
    return await db.redemption.update({ where: { id: redemption.id }, data: { status: "issued", discountId, lastError: null } });
  } catch (error) {
    await appendEntry(db, redemption.shop, {
      customerId: redemption.customerId,
      source: "redemption",
      sourceId: String(redemption.id),
      kind: "restore",
      points: redemption.points,
      at: now,
      availableAt: now,
    });
    await db.redemption.update({ where: { id: redemption.id }, data: { status: "failed", lastError: error instanceof Error ? error.message : String(error) } });
    await refreshAccount(db, redemption.shop, redemption.customerId, now);
    throw new RedemptionFailedError(
      `The reward code could not be created; the points were given back. (${error instanceof Error ? error.message : String(error)})`,
      {
        cause: error,
      },
    );
  }
}

/**
 * The customer turns one reward's worth of points into a single-use discount code for themselves.
 * Throws InsufficientPointsError when the spendable balance is short, RedemptionFailedError (points
 * given back) when Shopify refuses the code.
 */
export async function redeemPoints(db: PrismaClient, api: AdminApi, shop: string, customerId: string, now: Date, code = newRewardCode()): Promise<Redemption> {
  const redemption = await reservePoints(db, shop, customerId, code, now);
  await refreshAccount(db, shop, customerId, now);
  const issued = await issueRedemption(db, api, redemption, now);
  return issued;
}

const RedemptionPayload = z.object({ redemptionId: z.number().int() });

/** The safety net: a redemption still pending (its process died mid-way) gets its code, or its points back. */
export const runRedemptionJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const redemption = await db.redemption.findFirst({ where: { id: RedemptionPayload.parse(run.payload).redemptionId, shop: run.job.shop } });
  if (redemption?.status !== "pending") return;
  try {
    await issueRedemption(db, await adminFor(run.job.shop), redemption, now());
  } catch (error) {
    // The points are back and the reason is on the redemption; retrying would not change Shopify's answer.
    if (!(error instanceof RedemptionFailedError)) throw error;
  }
};
