import type { PrismaClient } from "@prisma/client";
import { requestCustomerRecompute } from "~/jobs/catalogue.server";

/**
 * The merchant marks (or unmarks) a customer as an advocate: someone who promotes the store without
 * a tracked referral. A marked repeat customer (not at risk or lapsed) is an advocate from the next recompute.
 */
export async function markAdvocate(db: PrismaClient, shop: string, customerId: string, marked: boolean, now = new Date()) {
  if (marked) await db.advocateMark.upsert({ where: { shop_customerId: { shop, customerId } }, create: { shop, customerId, markedAt: now }, update: {} });
  else await db.advocateMark.deleteMany({ where: { shop, customerId } });
  await requestCustomerRecompute(db, shop, customerId, now);
}
