import { Prisma, type PrismaClient } from "@prisma/client";
import { RETENTION_INTERVAL_MS } from "~/jobs/catalogue.server";
import type { JobHandler } from "~/jobs/types";
import { complianceSql, type KeptFields } from "~/compliance/dialects/index.server";
import type { ProcessedTopic } from "./topics";

/** Raw payloads hold personal data: they are kept this long after processing, for troubleshooting. */
export const DELIVERY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The fields of each topic's payload kept once it is processed: what processing it again would read,
 * and the ids and times that tell one delivery from another. Everything else goes — emails, phones,
 * names, addresses, client IPs and browsers, line items, notes, payment details. (`true` keeps a
 * field whole, an object keeps only its listed fields.) Checked against Shopify's 2026-07 payloads
 * in test/webhooks/retention.test.ts.
 */
const ORDER: KeptFields = {
  id: true,
  admin_graphql_api_id: true,
  name: true,
  order_number: true,
  created_at: true,
  processed_at: true,
  updated_at: true,
  cancelled_at: true,
  financial_status: true,
  test: true,
  currency: true,
  subtotal_price_set: true,
  total_price_set: true,
  // Codes, amounts and types; the referral code is read from here.
  discount_codes: true,
  // Cart attributes: referral attribution.
  note_attributes: true,
  landing_site: true,
  customer: { id: true, admin_graphql_api_id: true },
};
const CUSTOMER: KeptFields = { id: true, admin_graphql_api_id: true, created_at: true, updated_at: true };

export const KEPT_FIELDS: Readonly<Record<string, KeptFields>> = {
  "orders/create": ORDER,
  "orders/updated": ORDER,
  "orders/paid": ORDER,
  "orders/cancelled": ORDER,
  "refunds/create": { id: true, admin_graphql_api_id: true, order_id: true, created_at: true, processed_at: true },
  "customers/create": CUSTOMER,
  "customers/update": CUSTOMER,
  "customers/delete": CUSTOMER,
  // The request's customer and orders by id; their email and phone go.
  "customers/redact": { shop_id: true, shop_domain: true, customer: { id: true }, orders_to_redact: true },
  "customers/data_request": { shop_id: true, shop_domain: true, customer: { id: true }, orders_requested: true, data_request: { id: true } },
  "shop/redact": { shop_id: true, shop_domain: true },
  // app/uninstalled carries the shop with its owner's name, email, phone and address.
  "app/uninstalled": { id: true, myshopify_domain: true },
  "app/scopes_update": { id: true, shop_id: true, previous: true, current: true, updated_at: true },
  "bulk_operations/finish": { admin_graphql_api_id: true, status: true, error_code: true, type: true, created_at: true, completed_at: true },
} satisfies Record<ProcessedTopic, KeptFields>;
const KEPT_BY_TOPIC = new Map(Object.entries(KEPT_FIELDS));

/**
 * Reduces a delivery's stored payload to the fields kept for its topic (none to run for a topic we do
 * not process). A payload that is not a JSON object stays as it came until it is pruned.
 */
export function stripPayload(db: PrismaClient, deliveryId: number, topic: string): Prisma.PrismaPromise<number>[] {
  const kept = KEPT_BY_TOPIC.get(topic);
  if (!kept) return [];
  const sql = complianceSql(db);
  return [db.$executeRaw`UPDATE "WebhookDelivery" SET "payload" = ${sql.keptPayload(kept)} WHERE "id" = ${deliveryId} AND ${sql.payloadIsObject}`];
}

/**
 * Whether delivery `w` is about a customer or order that customers/redact erased (its tombstone says
 * "redacted"), by its stamp or its payload (read by the database, ids exact: deliveries that were not
 * processed carry no stamp). The redact request itself is the record of the erasure
 * and is kept, stripped, like any other processed delivery.
 */
function aboutRedacted(db: PrismaClient) {
  const sql = complianceSql(db);
  return Prisma.sql`w."topic" <> 'customers/redact' AND (
  EXISTS (SELECT 1 FROM "DeletedRecord" d WHERE d."shop" = w."shop" AND d."kind" = 'customer' AND d."id" IN (w."customerId", ${sql.payloadCustomerId}) AND d."reason" = 'redacted')
  OR EXISTS (SELECT 1 FROM "DeletedRecord" d WHERE d."shop" = w."shop" AND d."kind" = 'order' AND d."id" IN (w."orderId", ${sql.payloadOrderId}) AND d."reason" = 'redacted'))`;
}

/** Deletes the delivery if it is about a redacted customer or order: one that arrived after the erasure goes as soon as it is settled. */
function eraseIfAboutRedacted(db: PrismaClient, deliveryId: number) {
  return db.$executeRaw`DELETE FROM "WebhookDelivery" WHERE "id" IN (SELECT w."id" FROM "WebhookDelivery" w WHERE w."id" = ${deliveryId} AND ${aboutRedacted(db)})`;
}

/**
 * A delivery reaches its final state (processed, or skipped): the state is written, the payload is
 * stripped to the fields kept for its topic, and a delivery about a redacted customer or order is
 * erased — all in one transaction, so no settled delivery ever keeps more than that.
 */
export async function settleDelivery(
  db: PrismaClient,
  delivery: { id: number; topic: string },
  where: Prisma.WebhookDeliveryWhereInput,
  data: Prisma.WebhookDeliveryUpdateManyMutationInput,
) {
  await db.$transaction([db.webhookDelivery.updateMany({ where, data }), ...stripPayload(db, delivery.id, delivery.topic), eraseIfAboutRedacted(db, delivery.id)]);
}

/** Deletes the shop's deliveries processed (or skipped) more than the retention period ago, and dead letters as old. */
export async function pruneDeliveries(db: PrismaClient, shop: string, now: Date): Promise<number> {
  const before = new Date(now.getTime() - DELIVERY_RETENTION_MS);
  const pruned = await db.webhookDelivery.deleteMany({
    where: {
      shop,
      OR: [
        { status: { in: ["processed", "skipped"] }, processedAt: { lt: before } },
        { status: "failed", receivedAt: { lt: before } },
      ],
    },
  });
  // Refused deliveries hold no payload; their record is kept as long as a delivery's.
  await db.refusedWebhook.deleteMany({ where: { shop, lastReceivedAt: { lt: before } } });
  return pruned.count;
}

/** Failed deliveries keep their whole payload for a person to look at; one about a redacted customer or order goes. */
async function eraseFailedAboutRedacted(db: PrismaClient, shop: string): Promise<number> {
  return db.$executeRaw`DELETE FROM "WebhookDelivery" WHERE "id" IN (
    SELECT w."id" FROM "WebhookDelivery" w WHERE w."shop" = ${shop} AND w."status" = 'failed' AND ${aboutRedacted(db)})`;
}

/**
 * A customers/data_request export copies the customer's data, raw payloads included: once the
 * merchant has sent it, it is kept as long as a payload is, for a second download, then dropped. The
 * request stays, with its dates, as the record that it was answered.
 */
export async function dropSentExports(db: PrismaClient, shop: string, now: Date): Promise<number> {
  const before = new Date(now.getTime() - DELIVERY_RETENTION_MS);
  const dropped = await db.dataRequest.updateMany({ where: { shop, sentAt: { lt: before }, export: { not: null } }, data: { export: null } });
  return dropped.count;
}

/** Every shop holding deliveries or data requests: old deliveries pruned, failed ones about redacted customers erased, sent exports dropped. */
export const runRetentionJob: JobHandler = async ({ db, now }, run) => {
  const shops = await db.$queryRaw<{ shop: string }[]>`SELECT "shop" FROM "WebhookDelivery" UNION SELECT "shop" FROM "DataRequest"`;
  for (const { shop } of shops) {
    await pruneDeliveries(db, shop, now());
    await eraseFailedAboutRedacted(db, shop);
    await dropSentExports(db, shop, now());
    await run.heartbeat();
  }
  return { snoozeUntil: new Date(now().getTime() + RETENTION_INTERVAL_MS) };
};
