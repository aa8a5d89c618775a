import { randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient, Redemption } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { customerGid } from "~/admin-api/gid";
import { createCustomerDiscountCode, findDiscountByCode } from "~/admin-api/discounts.server";
import { AdminApiUserErrors } from "~/admin-api/errors";
import { balanceOf, redemptionFor, type EntryKind } from "~/loyalty/points";
import { scheduleRedemptionRecovery } from "~/jobs/catalogue.server";
import { shopProfile } from "~/shops/profile.server";
import type { JobHandler } from "~/jobs/types";
import { fromMinorUnits } from "~/money";
import { z } from "zod";
import { appendEntry, refreshAccount } from "./ledger.server";
import { loyaltySettings, pointsRulesOf } from "./settings.server";
import { dialectOf } from "~/sql.server";

// How long the inline attempt has before the safety net looks at a redemption.
const RECOVERY_DELAY_MS = 2 * 60 * 1000;
// How long one attempt holds a redemption: longer than any Admin API call with its retries. The
// job takes over from a holder that died once this has passed.
export const REDEMPTION_LEASE_MS = 10 * 60 * 1000;
// How long a request waits for another attempt on the same redemption (the same key sent twice).
const WAIT_FOR_OTHER_MS = 5_000;
const WAIT_POLL_MS = 100;

/** Shopify refused the code: the points were given back and the redemption is failed. */
export class RedemptionFailedError extends Error {
  override readonly name = "RedemptionFailedError";
}

/** Another attempt (the request, or the recovery job) is making sure of this redemption's code until `until`. */
export class RedemptionBusyError extends Error {
  override readonly name = "RedemptionBusyError";
  constructor(readonly until: Date) {
    super(`Another attempt holds this redemption until ${until.toISOString()}`);
  }
}

/**
 * Shopify's answer was not clear (unreachable, a server error, no answer): the code may exist. The
 * points stay taken and the redemption pending; the recovery job looks again later.
 */
export class RedemptionPendingError extends Error {
  override readonly name = "RedemptionPendingError";
}

// Unambiguous characters only: customers type these codes at checkout.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function newRewardCode(): string {
  const bytes = randomBytes(10);
  return `REWARD-${Array.from(bytes, (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join("")}`;
}

export interface ReserveOptions {
  /** The storefront's key: a redemption already made under it is returned as it is, nothing spent again. */
  idempotencyKey?: string | null;
  /** The attempt that will make the code: the new redemption is locked for it. */
  holder?: string | null;
}

/**
 * Takes one reward's points from the customer's spendable balance and records the redemption, in
 * one transaction that first locks the customer's account: two redemptions at once run one after
 * the other, and the second sees what the first spent, so the balance can never be overspent. With
 * an idempotency key already used by this customer, returns that redemption and spends nothing.
 */
export async function reservePoints(db: PrismaClient, shop: string, customerId: string, code: string, now: Date, options: ReserveOptions = {}): Promise<Redemption> {
  const idempotencyKey = options.idempotencyKey ?? null;
  const [settings, { currencyCode }] = await Promise.all([loyaltySettings(db, shop), shopProfile(db, shop)]);
  return db.$transaction(async (tx) => {
    // The lock, held to the end of the transaction. SQLite's transactions already run one at a time
    // (BEGIN IMMEDIATE); PostgreSQL takes an advisory lock on the customer before anything is read.
    if (dialectOf(tx) === "postgresql") await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`${shop}:${customerId}`}))::text`;
    await tx.loyaltyAccount.upsert({ where: { shop_customerId: { shop, customerId } }, create: { shop, customerId }, update: { updatedAt: now } });
    if (idempotencyKey !== null) {
      const made = await tx.redemption.findUnique({ where: { shop_customerId_idempotencyKey: { shop, customerId, idempotencyKey } } });
      if (made) return made;
    }
    const entries = await tx.pointsEntry.findMany({ where: { shop, customerId } });
    const balance = balanceOf(
      entries.map((entry) => ({ kind: entry.kind as EntryKind, points: entry.points, at: entry.at, availableAt: entry.availableAt })),
      now,
    );
    const reward = redemptionFor(balance, pointsRulesOf(settings));
    const holder = options.holder ?? null;
    const redemption = await tx.redemption.create({
      data: {
        shop,
        customerId,
        points: reward.points,
        valueMinor: reward.valueMinor,
        currencyCode,
        code,
        idempotencyKey,
        createdAt: now,
        lockedBy: holder,
        lockedUntil: holder === null ? null : new Date(now.getTime() + REDEMPTION_LEASE_MS),
      },
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
    await refreshAccount(tx, shop, customerId, now);
    // Should this process die before the code is confirmed, the job finishes it (or gives the points back).
    await scheduleRedemptionRecovery(tx, shop, redemption.id, new Date(now.getTime() + RECOVERY_DELAY_MS));
    return redemption;
  });
}

/** The discount's title names the redemption: a retry recognises the code it made before. */
export const rewardTitle = (redemption: Pick<Redemption, "id" | "points">) => `Loyalty reward #${redemption.id} (${redemption.points} points)`;

/**
 * Locks a pending redemption for one attempt, unless another attempt holds it (its lock not yet
 * run out). One conditional UPDATE, so two attempts can never both win.
 */
async function lockRedemption(db: PrismaClient, redemption: Redemption, holder: string, now: Date): Promise<boolean> {
  const locked = await db.redemption.updateMany({
    where: { id: redemption.id, shop: redemption.shop, status: "pending", OR: [{ lockedBy: holder }, { lockedUntil: null }, { lockedUntil: { lt: now } }] },
    data: { lockedBy: holder, lockedUntil: new Date(now.getTime() + REDEMPTION_LEASE_MS) },
  });
  return locked.count === 1;
}

type ShopifyAnswer = { discountId: string } | { refused: string };

/**
 * What Shopify holds for the redemption's code: ours (found by its title, or created now), or a
 * refusal. A refused creation is checked again before it counts: a creation whose answer was lost
 * and retried, or another attempt, may have made the code after all. Anything unclear throws.
 */
async function confirmCode(api: AdminApi, redemption: Redemption): Promise<ShopifyAnswer> {
  const title = rewardTitle(redemption);
  const existing = await findDiscountByCode(api, redemption.code);
  if (existing) return existing.title === title ? { discountId: existing.id } : { refused: `The code ${redemption.code} is already used by another discount` };
  try {
    const discountId = await createCustomerDiscountCode(api, {
      title,
      code: redemption.code,
      customerGid: customerGid(redemption.customerId),
      amount: fromMinorUnits(redemption.valueMinor, redemption.currencyCode),
      startsAt: redemption.createdAt,
    });
    return { discountId };
  } catch (error) {
    if (!(error instanceof AdminApiUserErrors)) throw error;
    const after = await findDiscountByCode(api, redemption.code);
    return after?.title === title ? { discountId: after.id } : { refused: error.message };
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Makes sure Shopify holds the redemption's code, for one attempt at a time: the inline request and
 * the recovery job lock the redemption against each other, so only one of them talks to Shopify.
 * Created once (a retry finds the code it made before); the points go back only when Shopify
 * refused the code and holds no code of ours. Every outcome is written only while this attempt
 * still holds the lock. Throws RedemptionBusyError (another attempt holds it), RedemptionFailedError
 * (refused, points given back) or RedemptionPendingError (Shopify's answer was unclear).
 */
export async function issueRedemption(db: PrismaClient, api: AdminApi, redemption: Redemption, now: Date, holder: string = randomUUID()): Promise<Redemption> {
  if (!(await lockRedemption(db, redemption, holder, now))) {
    const current = await db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    if (current.status !== "pending") return current;
    throw new RedemptionBusyError(current.lockedUntil ?? now);
  }
  let answer: ShopifyAnswer;
  try {
    answer = await confirmCode(api, redemption);
  } catch (error) {
    await db.redemption.updateMany({ where: { id: redemption.id, lockedBy: holder, status: "pending" }, data: { lockedBy: null, lockedUntil: null, lastError: message(error) } });
    throw new RedemptionPendingError(`The reward code is not confirmed yet; the points stay reserved. (${message(error)})`, { cause: error });
  }

  if ("discountId" in answer) {
    const issued = await db.redemption.updateMany({
      where: { id: redemption.id, lockedBy: holder, status: "pending" },
      data: { status: "issued", discountId: answer.discountId, lastError: null, lockedBy: null, lockedUntil: null },
    });
    const current = await db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    // Taken over meanwhile: the other attempt finds the same code and issues it.
    if (issued.count === 0 && current.status === "pending") throw new RedemptionBusyError(current.lockedUntil ?? now);
    return current;
  }

  const restored = await db.$transaction(async (tx) => {
    const failed = await tx.redemption.updateMany({
      where: { id: redemption.id, lockedBy: holder, status: "pending" },
      data: { status: "failed", lastError: answer.refused, lockedBy: null, lockedUntil: null },
    });
    if (failed.count === 0) return false;
    await appendEntry(tx, redemption.shop, {
      customerId: redemption.customerId,
      source: "redemption",
      sourceId: String(redemption.id),
      kind: "restore",
      points: redemption.points,
      at: now,
      availableAt: now,
    });
    await refreshAccount(tx, redemption.shop, redemption.customerId, now);
    return true;
  });
  if (!restored) {
    const current = await db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    if (current.status !== "pending") return current;
    throw new RedemptionBusyError(current.lockedUntil ?? now);
  }
  throw new RedemptionFailedError(`The reward code could not be created; the points were given back. (${answer.refused})`);
}

/** The redemption once no attempt is making it any more, or as it stands after `waitMs`. */
async function settledRedemption(db: PrismaClient, id: number, waitMs: number): Promise<Redemption> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const current = await db.redemption.findUniqueOrThrow({ where: { id } });
    if (current.status !== "pending" || Date.now() >= deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}

export interface RedeemOptions {
  /** The storefront's key for this redemption: sent again, it returns the same redemption. */
  idempotencyKey?: string | null;
  /** The code to give (tests); a fresh random one by default. */
  code?: string;
  /** How long to wait for another attempt on the same redemption. */
  waitMs?: number;
}

/**
 * The customer turns one reward's worth of points into a single-use discount code for themselves.
 * The same idempotency key returns the same redemption, as it ended or still pending, and never
 * spends twice. Throws InsufficientPointsError when the spendable balance is short,
 * RedemptionFailedError (points given back) when Shopify refuses the code, RedemptionPendingError
 * when Shopify's answer was unclear (the job finishes it).
 */
export async function redeemPoints(db: PrismaClient, api: AdminApi, shop: string, customerId: string, now: Date, options: RedeemOptions = {}): Promise<Redemption> {
  const holder = randomUUID();
  const code = options.code ?? newRewardCode();
  const redemption = await reservePoints(db, shop, customerId, code, now, { idempotencyKey: options.idempotencyKey, holder });
  if (redemption.status !== "pending") return redemption;
  try {
    return await issueRedemption(db, api, redemption, now, holder);
  } catch (error) {
    if (!(error instanceof RedemptionBusyError)) throw error;
    // The same key sent again while its first request (or the job) is at it: that attempt's outcome is this one's.
    return settledRedemption(db, redemption.id, options.waitMs ?? WAIT_FOR_OTHER_MS);
  }
}

const RedemptionPayload = z.object({ redemptionId: z.number().int() });

/**
 * The safety net: a redemption still pending (its process died mid-way, or Shopify's answer was
 * unclear) gets its code, or its points back. While another attempt holds it, the job waits for
 * that attempt's lock to run out rather than talk to Shopify at the same time.
 */
export const runRedemptionJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const redemption = await db.redemption.findFirst({ where: { id: RedemptionPayload.parse(run.payload).redemptionId, shop: run.job.shop } });
  if (redemption?.status !== "pending") return;
  try {
    await issueRedemption(db, await adminFor(run.job.shop), redemption, now());
  } catch (error) {
    if (error instanceof RedemptionBusyError) return { snoozeUntil: error.until };
    // The points are back and the reason is on the redemption; retrying would not change Shopify's answer.
    if (error instanceof RedemptionFailedError) return;
    throw error;
  }
};
