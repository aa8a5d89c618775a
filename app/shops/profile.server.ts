import type { Prisma, PrismaClient } from "@prisma/client";

/** What the app knows of the shop itself, from its last import. */
export interface ShopProfile {
  /** ISO 4217; USD until the first import has read the shop. */
  currencyCode: string;
  /** IANA; null (UTC) until the first import has read the shop. */
  timeZone: string | null;
}

/** The shop's currency and time zone: one lookup for every page, export and job that shows or stores money or days. */
export async function shopProfile(db: PrismaClient | Prisma.TransactionClient, shop: string): Promise<ShopProfile> {
  const row = await db.shop.findUnique({ where: { shop }, select: { currencyCode: true, ianaTimezone: true } });
  return { currencyCode: row?.currencyCode ?? "USD", timeZone: row?.ianaTimezone ?? null };
}
