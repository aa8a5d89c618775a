import { randomBytes } from "node:crypto";
import { Prisma, type LoyaltySettings, type Order, type PrismaClient, type Referral, type ReferralCode } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { customerGid, orderGid } from "~/admin-api/gid";
import { createReferralDiscountCode, findDiscountByCode } from "~/admin-api/discounts.server";
import { createSegment } from "~/admin-api/segments.server";
import { fetchCustomerContact, fetchOrderContact, type ContactPoints } from "~/admin-api/referral-contacts.server";
import { requestCustomerRecompute, requestLoyaltyMetafields } from "~/jobs/catalogue.server";
import { assessReferral, attributedCode, contactKeys, normalizeCode, referralClawback, type ReferralReason } from "~/loyalty/referrals";
import type { JobHandler } from "~/jobs/types";
import { appendEntry, refreshAccount } from "./ledger.server";
import { loyaltySettings } from "./settings.server";

// Unambiguous characters: friends type these codes at checkout.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const PAID = ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"];
// Referrals that count for the referrer (and feed the advocate stage).
export const PAID_REFERRAL_STATUSES = ["rewarded", "approved"];

// Eight characters of a 32-letter alphabet: 40 bits, so codes cannot be guessed from a few tries.
// (Codes issued before, with four, keep working: they are looked up as they are.)
const CODE_RANDOM_CHARACTERS = 8;

/** "ANNA-7K2P-9XQM": the advocate's first name (letters only) and 40 random bits, in two groups to read out. */
export function newReferralCode(firstName: string | null): string {
  const name = (firstName ?? "")
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toUpperCase()
    .slice(0, 8);
  // 256 is a multiple of 32: every character is equally likely.
  const random = Array.from(randomBytes(CODE_RANDOM_CHARACTERS), (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join("");
  return `${name || "FRIEND"}-${random.slice(0, 4)}-${random.slice(4)}`;
}

export const referralDiscountTitle = (code: string) => `Referral ${code}`;

// Referral discounts are for a friend's first order: Shopify checks it against this segment.
const FIRST_ORDER_SEGMENT = { kind: "referral", value: "first-order", name: "Lifecycle: first-time customers", query: "number_of_orders = 0" };

/** The segment of customers without an order, created once and kept. */
async function firstOrderSegment(db: PrismaClient, api: AdminApi, shop: string): Promise<string> {
  const held = await db.managedSegment.findUnique({ where: { shop_kind_value: { shop, kind: FIRST_ORDER_SEGMENT.kind, value: FIRST_ORDER_SEGMENT.value } } });
  if (held) return held.segmentId;
  const segment = await createSegment(api, FIRST_ORDER_SEGMENT.name, FIRST_ORDER_SEGMENT.query);
  await db.managedSegment.create({
    data: { shop, kind: FIRST_ORDER_SEGMENT.kind, value: FIRST_ORDER_SEGMENT.value, segmentId: segment.id, name: segment.name, query: segment.query },
  });
  return segment.id;
}

/**
 * The advocate's referral code, created once: our record, then the Shopify discount friends use at
 * checkout (a retry recognises the discount it made before by its title).
 */
export async function issueReferralCode(db: PrismaClient, api: AdminApi, shop: string, customerId: string, now: Date): Promise<ReferralCode> {
  let held = await db.referralCode.findUnique({ where: { shop_customerId: { shop, customerId } } });
  if (!held) {
    const customer = await db.customer.findUnique({ where: { shop_id: { shop, id: customerId } }, select: { firstName: true } });
    held = await db.referralCode.upsert({
      where: { shop_customerId: { shop, customerId } },
      create: { shop, customerId, code: newReferralCode(customer?.firstName ?? null), createdAt: now },
      update: {},
    });
  }
  if (held.discountId) return held;
  const settings = await loyaltySettings(db, shop);
  const existing = await findDiscountByCode(api, held.code);
  if (existing && existing.title !== referralDiscountTitle(held.code)) throw new Error(`The code ${held.code} is already used by another discount`);
  const discountId =
    existing?.id ??
    (await createReferralDiscountCode(api, {
      title: referralDiscountTitle(held.code),
      code: held.code,
      percentOff: settings.friendDiscountPercent,
      startsAt: now,
      segmentGid: await firstOrderSegment(db, api, shop),
    }));
  return db.referralCode.update({ where: { shop_customerId: { shop, customerId } }, data: { discountId } });
}

/** Comparable contact keys of a set of contact points (normalised email, phone, address). */
function keysOfContact(points: ContactPoints): string[] {
  return [
    ...new Set([
      ...points.emails.flatMap((email) => contactKeys({ email })),
      ...points.phones.flatMap((phone) => contactKeys({ phone })),
      ...points.addresses.flatMap((address) => contactKeys({ address })),
    ]),
  ];
}

type Tx = Prisma.TransactionClient;

async function referralEntryPoints(db: Tx, shop: string, orderId: string): Promise<number> {
  const entry = await db.pointsEntry.findUnique({ where: { shop_source_sourceId_kind: { shop, source: "referral", sourceId: orderId, kind: "referral" } } });
  return entry?.points ?? 0;
}

/**
 * Credits the referrer for a friend's order (once: the entry is keyed by the order). Runs inside the
 * transaction that records the referral's decision: a referral is never rewarded without its points.
 */
async function rewardReferrer(db: Tx, shop: string, referral: Referral, points: number, at: Date, now: Date) {
  await appendEntry(db, shop, {
    customerId: referral.referrerId,
    source: "referral",
    sourceId: referral.orderId,
    kind: "referral",
    points,
    at,
    availableAt: at,
  });
  await refreshAccount(db, shop, referral.referrerId, now);
  // A paid referral makes a loyal customer an advocate.
  await requestCustomerRecompute(db, shop, referral.referrerId, now);
}

/**
 * Settles the referral side of an order, as often as it changes: attributes a paid order to a
 * referral code once, rewards, holds or rejects it, and takes the reward back if the friend's order
 * is cancelled or refunded in full within the return window.
 */
export async function settleReferral(db: PrismaClient, api: () => Promise<AdminApi>, shop: string, orderId: string, now: Date): Promise<void> {
  const order = await db.order.findUnique({ where: { shop_id: { shop, id: orderId } } });
  if (!order) return;
  const settings = await loyaltySettings(db, shop);
  let referral = await db.referral.findUnique({ where: { shop_orderId: { shop, orderId } } });

  if (!referral) {
    if (!settings.enabled || order.test || !PAID.includes(order.financialStatus) || order.processedAt < settings.earnSince) return;
    const mentioned = [
      ...(JSON.parse(order.discountCodes) as string[]),
      ...(JSON.parse(order.noteAttributes) as { name: string; value: string }[]).map((entry) => entry.value),
    ];
    const candidates = await db.referralCode.findMany({ where: { shop, code: { in: mentioned.map(normalizeCode) } } });
    const landingCodes = order.landingSite ? await db.referralCode.findMany({ where: { shop, code: { in: landingRefs(order.landingSite) } } }) : [];
    const known = new Map([...candidates, ...landingCodes].map((code) => [code.code, code]));
    const attribution = attributedCode(
      {
        discountCodes: JSON.parse(order.discountCodes) as string[],
        noteAttributes: JSON.parse(order.noteAttributes) as { name: string; value: string }[],
        landingSite: order.landingSite,
      },
      (code) => known.has(code),
    );
    if (!attribution) return;
    const owner = known.get(attribution.code)!;
    const [earlier, alreadyReferred, referrerKeys, friendKeys] = await Promise.all([
      order.customerId
        ? db.order.count({
            where: {
              shop,
              customerId: order.customerId,
              // Bought before this order: earlier, or in the same second with a lower (older) id.
              OR: [{ processedAt: { lt: order.processedAt } }, { processedAt: order.processedAt, id: { lt: order.id } }],
              test: false,
              cancelledAt: null,
              financialStatus: { in: PAID },
            },
          })
        : 0,
      order.customerId ? db.referral.count({ where: { shop, friendId: order.customerId, status: { in: [...PAID_REFERRAL_STATUSES, "held"] } } }) : 0,
      // Read from Shopify now, compared, forgotten: we keep no phone or address.
      api()
        .then((admin) => fetchCustomerContact(admin, customerGid(owner.customerId)))
        .then(keysOfContact),
      order.customerId
        ? api()
            .then((admin) =>
              Promise.all([
                fetchOrderContact(admin, orderGid(order.id)),
                fetchCustomerContact(admin, customerGid(order.customerId!)),
              ]),
            )
            .then(([fromOrder, fromAccount]) => [...keysOfContact(fromOrder), ...keysOfContact(fromAccount)])
        : [],
    ]);
    const verdict = assessReferral({
      referrerId: owner.customerId,
      friendId: order.customerId,
      referrerKeys,
      friendKeys,
      friendEarlierPaidOrders: earlier,
      friendAlreadyReferred: alreadyReferred > 0,
      orderSubtotalMinor: order.subtotalMinor,
      minOrderMinor: settings.referralMinOrderMinor,
    });
    const status = verdict.decision === "reward" ? "rewarded" : verdict.decision === "hold" ? "held" : "rejected";
    const reasons: ReferralReason[] = verdict.decision === "reward" ? [] : verdict.reasons;
    try {
      // The decision and the referrer's points are one transaction: a crash between them would leave
      // a rewarded referral that no later settlement pays (it finds the referral already decided).
      referral = await db.$transaction(async (tx) => {
        const decided = await tx.referral.create({
          data: {
            shop,
            code: owner.code,
            referrerId: owner.customerId,
            friendId: order.customerId,
            orderId,
            channel: attribution.channel,
            status,
            reasons: JSON.stringify(reasons),
            createdAt: now,
            decidedAt: now,
          },
        });
        if (status === "rewarded") await rewardReferrer(tx, shop, decided, settings.referrerPoints, order.processedAt, now);
        return decided;
      });
    } catch (error) {
      // Another settlement of the same order got there first: its decision stands.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return;
      throw error;
    }
  }

  if (PAID_REFERRAL_STATUSES.includes(referral.status)) {
    const paid = referral;
    await db.$transaction((tx) => takeBackIfReturned(tx, shop, order, paid, settings, now));
  }
}

/**
 * Takes a paid referral's reward back when the friend's order was cancelled or refunded in full
 * within the return window: the reversal, the referral's new status and the balance in one transaction.
 */
async function takeBackIfReturned(db: Tx, shop: string, order: Order, referral: Referral, settings: LoyaltySettings, now: Date) {
  const refunds = await db.refund.findMany({ where: { shop, orderId: order.id }, select: { amountMinor: true, createdAt: true } });
  const clawback = referralClawback(
    {
      at: order.processedAt,
      cancelledAt: order.cancelledAt,
      basisMinor: order.totalMinor,
      refundedMinor: refunds.reduce((sum, refund) => sum + refund.amountMinor, 0),
      lastRefundAt: refunds.length ? new Date(Math.max(...refunds.map((refund) => refund.createdAt.getTime()))) : null,
    },
    { referrerPoints: settings.referrerPoints, returnWindowDays: settings.returnWindowDays, minOrderMinor: settings.referralMinOrderMinor },
  );
  if (!clawback) return;
  const awarded = await referralEntryPoints(db, shop, order.id);
  await appendEntry(db, shop, {
    customerId: referral.referrerId,
    source: "referral",
    sourceId: order.id,
    kind: "reverse",
    points: -awarded,
    at: order.cancelledAt ?? order.updatedAt,
    availableAt: order.processedAt,
  });
  await db.referral.update({ where: { id: referral.id }, data: { status: "reversed", decidedAt: now } });
  await refreshAccount(db, shop, referral.referrerId, now);
  await requestCustomerRecompute(db, shop, referral.referrerId, now);
}

function landingRefs(landingSite: string): string[] {
  try {
    const ref = new URL(landingSite, "https://storefront.invalid").searchParams.get("ref");
    return ref ? [normalizeCode(ref)] : [];
  } catch {
    return [];
  }
}

export class ReferralNotHeldError extends Error {
  override readonly name = "ReferralNotHeldError";
}

/**
 * The merchant approves a held referral: the referrer gets the reward after all. The approval, the
 * points and (should the friend's order have been returned meanwhile) their reversal are one transaction.
 */
export async function approveReferral(db: PrismaClient, shop: string, referralId: number, now: Date): Promise<Referral> {
  return db.$transaction(async (tx) => {
    const referral = await tx.referral.findFirst({ where: { id: referralId, shop } });
    if (!referral || referral.status !== "held") throw new ReferralNotHeldError("Only a held referral can be approved");
    const approved = await tx.referral.update({ where: { id: referral.id }, data: { status: "approved", decidedAt: now } });
    const [settings, order] = await Promise.all([loyaltySettings(tx, shop), tx.order.findUnique({ where: { shop_id: { shop, id: referral.orderId } } })]);
    await rewardReferrer(tx, shop, approved, settings.referrerPoints, order?.processedAt ?? now, now);
    if (order) await takeBackIfReturned(tx, shop, order, approved, settings, now);
    return tx.referral.findUniqueOrThrow({ where: { id: referral.id } });
  });
}

/** The merchant rejects a held referral: no reward, and the friend may still be referred by no one else. */
export async function rejectReferral(db: PrismaClient, shop: string, referralId: number, now: Date): Promise<Referral> {
  const referral = await db.referral.findFirst({ where: { id: referralId, shop } });
  if (!referral || referral.status !== "held") throw new ReferralNotHeldError("Only a held referral can be rejected");
  const reasons = [...(JSON.parse(referral.reasons) as string[]), "rejected_by_merchant"];
  return db.referral.update({ where: { id: referral.id }, data: { status: "rejected", reasons: JSON.stringify(reasons), decidedAt: now } });
}

/** Paid referrals per referrer, for the advocate stage: of the whole shop, one referrer, or the referrers from `from` to `to` (a page of customers). */
export async function paidReferralCounts(db: PrismaClient, shop: string, referrers?: string | { from: string; to: string }): Promise<Map<string, number>> {
  const referrerId = referrers === undefined ? {} : typeof referrers === "string" ? { referrerId: referrers } : { referrerId: { gte: referrers.from, lte: referrers.to } };
  const rows = await db.referral.groupBy({
    by: ["referrerId"],
    where: { shop, status: { in: PAID_REFERRAL_STATUSES }, ...referrerId },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.referrerId, row._count._all]));
}

/**
 * Every advocate gets a referral code (and Shopify the matching discount); their storefront summary
 * then shows the link. Codes stay with customers who later leave the advocate stage: links they
 * shared keep working.
 */
export const runReferralCodesJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const shop = run.job.shop;
  const settings = await loyaltySettings(db, shop);
  if (!settings.enabled) return;
  const advocates = await db.customerLifecycle.findMany({ where: { shop, stage: "advocate" }, select: { customerId: true } });
  const issued = new Set(
    (await db.referralCode.findMany({ where: { shop, discountId: { not: null } }, select: { customerId: true } })).map((code) => code.customerId),
  );
  const missing = advocates.filter((advocate) => !issued.has(advocate.customerId));
  if (missing.length === 0) return;
  const api = await adminFor(shop);
  for (const { customerId } of missing) {
    await issueReferralCode(db, api, shop, customerId, now());
    // The storefront summary lives on the loyalty account: an advocate without points gets one too.
    await db.loyaltyAccount.upsert({ where: { shop_customerId: { shop, customerId } }, create: { shop, customerId }, update: {} });
    // Its storefront summary now carries the referral link.
    await requestLoyaltyMetafields(db, shop, now(), [customerId]);
    await run.heartbeat();
  }
};
