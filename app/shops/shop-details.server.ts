import type { PrismaClient } from "@prisma/client";

/** The shop's currency as the import stored it; USD before the first import. */
export async function shopCurrency(db: PrismaClient, shop: string): Promise<string> {
  return (await db.shop.findUnique({ where: { shop }, select: { currencyCode: true } }))?.currencyCode ?? "USD";
}

/** The shop's IANA time zone as the import stored it; null before the first import. */
export async function shopTimeZone(db: PrismaClient, shop: string): Promise<string | null> {
  return (await db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }))?.ianaTimezone ?? null;
}
