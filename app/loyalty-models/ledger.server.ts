import type { Order, PointsEntry, Prisma, PrismaClient } from "@prisma/client";
import { balanceOf, earningFor, expiryDue, reversalOwed, type EntryKind, type LedgerEntry } from "~/loyalty/points";
import { currencyFractionDigits } from "~/money";
import { requestLoyaltyMetafields } from "~/jobs/catalogue.server";
import { loyaltySettings, pointsRulesOf } from "./settings.server";

type Db = PrismaClient | Prisma.TransactionClient;

export interface NewEntry {
  customerId: string;
  source: string;
  sourceId: string;
  kind: EntryKind;
  points: number;
  at: Date;
  availableAt: Date;
  orderId?: string | null;
  basisMinor?: number | null;
  reason?: string | null;
}

/**
 * Appends an entry unless one with the same (source, source id, kind) exists: the ledger's one
 * guarantee against counting anything twice. Returns whether it was added.
 */
export async function appendEntry(db: Pick<PrismaClient, "$executeRaw">, shop: string, entry: NewEntry): Promise<boolean> {
  const added = await db.$executeRaw`
    INSERT INTO "PointsEntry" ("shop", "customerId", "source", "sourceId", "kind", "points", "at", "availableAt", "orderId", "basisMinor", "reason", "createdAt")
    VALUES (${shop}, ${entry.customerId}, ${entry.source}, ${entry.sourceId}, ${entry.kind}, ${entry.points}, ${entry.at}, ${entry.availableAt},
      ${entry.orderId ?? null}, ${entry.basisMinor ?? null}, ${entry.reason ?? null}, ${new Date()})
    ON CONFLICT ("shop", "source", "sourceId", "kind") DO NOTHING`;
  return added === 1;
}

const asLedgerEntry = (entry: PointsEntry): LedgerEntry => ({
  kind: entry.kind as EntryKind,
  points: entry.points,
  at: entry.at,
  availableAt: entry.availableAt,
});

/**
 * Brings an order's points in line with what we hold about it: the earn once it is paid (with the
 * rules in force then, kept on the entry), and whatever its refunds or cancellation take back of
 * exactly what was earned. Safe to run any number of times, in any order of events. Returns the
 * customer whose balance may have changed.
 */
export async function settleOrderPoints(db: PrismaClient, shop: string, orderId: string): Promise<string | null> {
  // One transaction: two settlements of the same order never both see "nothing reversed yet".
  return db.$transaction((tx) => settleInTransaction(tx, shop, orderId));
}

/** What a stored order earns under the shop's loyalty settings; null when it earns nothing. */
export function orderEarning(
  order: Pick<Order, "id" | "processedAt" | "subtotalMinor" | "totalMinor" | "financialStatus" | "cancelledAt" | "test" | "currencyCode">,
  settings: Parameters<typeof pointsRulesOf>[0],
) {
  return earningFor(
    {
      id: order.id,
      at: order.processedAt,
      subtotalMinor: order.subtotalMinor,
      totalMinor: order.totalMinor,
      financialStatus: order.financialStatus,
      cancelled: order.cancelledAt !== null,
      test: order.test,
      minorPerUnit: 10 ** currencyFractionDigits(order.currencyCode),
    },
    pointsRulesOf(settings),
  );
}

async function settleInTransaction(db: Db, shop: string, orderId: string): Promise<string | null> {
  const order = await db.order.findUnique({ where: { shop_id: { shop, id: orderId } } });
  if (!order?.customerId) return null;
  const entries = await db.pointsEntry.findMany({ where: { shop, orderId } });
  let earn = entries.find((entry) => entry.kind === "earn");
  if (!earn) {
    const settings = await loyaltySettings(db, shop);
    if (!settings.enabled || order.processedAt < settings.earnSince) return null;
    const earning = orderEarning(order, settings);
    if (!earning) return null;
    const entry = {
      customerId: order.customerId,
      source: "order",
      sourceId: order.id,
      kind: "earn" as const,
      points: earning.points,
      at: order.processedAt,
      availableAt: earning.availableAt,
      orderId: order.id,
      basisMinor: earning.basisMinor,
    };
    await appendEntry(db, shop, entry);
    earn = (await db.pointsEntry.findUnique({ where: { shop_source_sourceId_kind: { shop, source: "order", sourceId: order.id, kind: "earn" } } }))!;
  }

  const refunded = await db.refund.aggregate({ where: { shop, orderId }, _sum: { amountMinor: true } });
  const reversed = -entries.filter((entry) => entry.kind === "reverse").reduce((sum, entry) => sum + entry.points, 0);
  const owed = reversalOwed({ points: earn.points, basisMinor: earn.basisMinor ?? 0 }, refunded._sum.amountMinor ?? 0, order.cancelledAt !== null, reversed);
  if (owed > 0) {
    // Keyed by the total it brings the reversals to: two runs that saw the same refunds add one entry.
    await appendEntry(db, shop, {
      customerId: earn.customerId,
      source: "order-reversal",
      sourceId: `${order.id}:${reversed + owed}`,
      kind: "reverse",
      points: -owed,
      at: order.cancelledAt ?? order.updatedAt,
      // Points not yet spendable are taken back from the pending ones.
      availableAt: earn.availableAt,
      orderId: order.id,
    });
  }
  return earn.customerId;
}

/** Every entry of the customer, oldest first. */
export function customerEntries(db: Db, shop: string, customerId: string) {
  return db.pointsEntry.findMany({ where: { shop, customerId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
}

/** Recomputes the customer's balance from the ledger (expiring a quiet balance first) and stores it on their account. */
export async function refreshAccount(db: Db, shop: string, customerId: string, now: Date) {
  const rules = pointsRulesOf(await loyaltySettings(db, shop));
  let entries = (await customerEntries(db, shop, customerId)).map(asLedgerEntry);
  const expiry = expiryDue(entries, rules, now);
  if (expiry) {
    await appendEntry(db, shop, {
      customerId,
      source: "expiry",
      sourceId: expiry.lastActivity.toISOString(),
      kind: "expire",
      points: -expiry.points,
      at: expiry.at,
      availableAt: expiry.at,
    });
    entries = (await customerEntries(db, shop, customerId)).map(asLedgerEntry);
  }
  const balance = balanceOf(entries, now);
  const before = await db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } } });
  await db.loyaltyAccount.upsert({
    where: { shop_customerId: { shop, customerId } },
    create: { shop, customerId, ...balance },
    update: balance,
  });
  // The storefront reads the balance from a metafield: it follows.
  if (before?.available !== balance.available || before.pending !== balance.pending) await requestLoyaltyMetafields(db, shop, now, [customerId]);
  return balance;
}

/** The merchant adds or takes points, with a reason; `adjustmentId` makes a repeated submission count once. */
export async function adjustPoints(db: PrismaClient, shop: string, customerId: string, points: number, reason: string, adjustmentId: string, now: Date) {
  await appendEntry(db, shop, { customerId, source: "adjustment", sourceId: adjustmentId, kind: "adjust", points, at: now, availableAt: now, reason });
  return refreshAccount(db, shop, customerId, now);
}

/** customers/redact and customers/delete: the customer's points go with them. */
export async function eraseCustomerLoyalty(db: PrismaClient, shop: string, customerId: string) {
  await db.$transaction([
    db.pointsEntry.deleteMany({ where: { shop, customerId } }),
    db.loyaltyAccount.deleteMany({ where: { shop, customerId } }),
    db.redemption.deleteMany({ where: { shop, customerId } }),
    db.referralCode.deleteMany({ where: { shop, customerId } }),
    db.referral.deleteMany({ where: { shop, OR: [{ referrerId: customerId }, { friendId: customerId }] } }),
  ]);
}
