import type { LoyaltySettings, Prisma, PrismaClient } from "@prisma/client";
import type { PointsRules } from "~/loyalty/points";

/** The shop's loyalty settings, created with the defaults (and the programme's start) on first use. */
export async function loyaltySettings(db: PrismaClient | Prisma.TransactionClient, shop: string): Promise<LoyaltySettings> {
  return (await db.loyaltySettings.findUnique({ where: { shop } })) ?? db.loyaltySettings.upsert({ where: { shop }, create: { shop }, update: {} });
}

export function pointsRulesOf(settings: LoyaltySettings): PointsRules {
  return {
    pointsPerUnit: settings.pointsPerUnit,
    basis: settings.basis === "total" ? "total" : "subtotal",
    pendingDays: settings.pendingDays,
    expiryMonths: settings.expiryMonths,
    pointsPerReward: settings.pointsPerReward,
    rewardValueMinor: settings.rewardValueMinor,
  };
}
