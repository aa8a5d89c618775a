import type { PrismaClient } from "@prisma/client";

/** One customer's loyalty, as the admin's customer page shows it: balance, latest entries, referral code and referrals. */
export async function customerLoyalty(db: PrismaClient, shop: string, customerId: string) {
  const [account, entries, code, referrals] = await Promise.all([
    db.loyaltyAccount.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    db.pointsEntry.findMany({ where: { shop, customerId }, orderBy: [{ at: "desc" }, { id: "desc" }], take: 50 }),
    db.referralCode.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    db.referral.findMany({ where: { shop, referrerId: customerId }, orderBy: { createdAt: "desc" }, take: 20 }),
  ]);
  return {
    points: { available: account?.available ?? 0, pending: account?.pending ?? 0 },
    entries: entries.map((entry) => ({ id: entry.id, kind: entry.kind, points: entry.points, at: entry.at.toISOString(), reason: entry.reason })),
    referralCode: code?.code ?? null,
    referrals: referrals.map((referral) => ({ id: referral.id, status: referral.status, friendId: referral.friendId, at: referral.createdAt.toISOString() })),
  };
}

/** The id of one of the customer's referrals still held for the merchant's decision; null when there is none. */
export async function heldReferralId(db: PrismaClient, shop: string, referrerId: string, referralId: number): Promise<number | null> {
  return (await db.referral.findFirst({ where: { id: referralId, shop, referrerId, status: "held" }, select: { id: true } }))?.id ?? null;
}
