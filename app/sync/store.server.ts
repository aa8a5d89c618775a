import { Prisma, type PrismaClient } from "@prisma/client";
import { jsonRows, sqliteDateTime, type JsonCell } from "~/sql.server";
import type { CustomerRecord, OrderRecord, RefundRecord } from "./records";

type Db = PrismaClient | Prisma.TransactionClient;

// Rows per INSERT (one JSON parameter): a backfill batch in one statement.
const ROWS_PER_STATEMENT = 1_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

// Of two versions with the same updatedAt second, the one observed later wins — if it differs at all:
// observing the same data again (a re-run backfill, a repeated delivery) writes nothing.
const CUSTOMER_CHANGED = Prisma.raw(
  'excluded."createdAt" IS DISTINCT FROM "Customer"."createdAt" OR excluded."state" IS DISTINCT FROM "Customer"."state" OR excluded."tags" IS DISTINCT FROM "Customer"."tags" OR excluded."emailMarketingState" IS DISTINCT FROM "Customer"."emailMarketingState" OR excluded."firstName" IS DISTINCT FROM "Customer"."firstName" OR excluded."lastName" IS DISTINCT FROM "Customer"."lastName" OR excluded."email" IS DISTINCT FROM "Customer"."email"',
);
const ORDER_CHANGED = Prisma.raw(
  'excluded."customerId" IS DISTINCT FROM "Order"."customerId" OR excluded."name" IS DISTINCT FROM "Order"."name" OR excluded."createdAt" IS DISTINCT FROM "Order"."createdAt" OR excluded."processedAt" IS DISTINCT FROM "Order"."processedAt" OR excluded."cancelledAt" IS DISTINCT FROM "Order"."cancelledAt" OR excluded."financialStatus" IS DISTINCT FROM "Order"."financialStatus" OR excluded."test" IS DISTINCT FROM "Order"."test" OR excluded."currencyCode" IS DISTINCT FROM "Order"."currencyCode" OR excluded."subtotalMinor" IS DISTINCT FROM "Order"."subtotalMinor" OR excluded."totalMinor" IS DISTINCT FROM "Order"."totalMinor" OR excluded."discountCodes" IS DISTINCT FROM "Order"."discountCodes" OR excluded."noteAttributes" IS DISTINCT FROM "Order"."noteAttributes" OR excluded."landingSite" IS DISTINCT FROM "Order"."landingSite"',
);

/**
 * Writes customers, each only if it is a newer version than what we hold — later `updatedAt`, or the
 * same second observed later — so a stale, repeated or reordered delivery never overwrites newer
 * data, and any order of the same deliveries ends in the same state. Customers deleted or redacted
 * stay gone. Returns the ids actually inserted or changed.
 */
export async function upsertCustomers(db: Db, shop: string, customers: readonly CustomerRecord[], observedAt: Date): Promise<string[]> {
  const changed: string[] = [];
  for (const batch of chunks(dedupeNewest(customers), ROWS_PER_STATEMENT)) {
    const observed = sqliteDateTime(observedAt);
    const rows = batch.map((customer): JsonCell[] => [
      shop,
      customer.id,
      sqliteDateTime(customer.createdAt),
      sqliteDateTime(customer.updatedAt),
      customer.state,
      customer.tags,
      customer.emailMarketingState,
      customer.firstName,
      customer.lastName,
      customer.email,
      observed,
    ]);
    const written = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO "Customer" ("shop", "id", "createdAt", "updatedAt", "state", "tags", "emailMarketingState", "firstName", "lastName", "email", "observedAt")
      ${jsonRows(rows, 11)}
      ON CONFLICT ("shop", "id") DO UPDATE SET
        "createdAt" = excluded."createdAt", "updatedAt" = excluded."updatedAt", "state" = excluded."state", "tags" = excluded."tags",
        "emailMarketingState" = excluded."emailMarketingState", "firstName" = excluded."firstName", "lastName" = excluded."lastName",
        "email" = excluded."email", "observedAt" = excluded."observedAt"
      WHERE excluded."updatedAt" > "Customer"."updatedAt"
        OR (excluded."updatedAt" = "Customer"."updatedAt" AND excluded."observedAt" > "Customer"."observedAt" AND (${CUSTOMER_CHANGED}))
      RETURNING "id"`;
    changed.push(
      ...(await dropDeleted(
        db,
        shop,
        "customer",
        written.map((row) => row.id),
      )),
    );
  }
  return changed;
}

/** Writes orders guarded like customers (`updatedAt`, then `observedAt`); returns the ids inserted or changed. */
export async function upsertOrders(db: Db, shop: string, orders: readonly OrderRecord[], observedAt: Date): Promise<string[]> {
  const changed: string[] = [];
  for (const batch of chunks(dedupeNewest(orders), ROWS_PER_STATEMENT)) {
    const observed = sqliteDateTime(observedAt);
    const rows = batch.map((order): JsonCell[] => [
      shop,
      order.id,
      order.customerId,
      order.name,
      sqliteDateTime(order.createdAt),
      sqliteDateTime(order.processedAt),
      sqliteDateTime(order.updatedAt),
      order.cancelledAt && sqliteDateTime(order.cancelledAt),
      order.financialStatus,
      order.test ? 1 : 0,
      order.currencyCode,
      order.subtotalMinor,
      order.totalMinor,
      JSON.stringify(order.discountCodes),
      JSON.stringify(order.noteAttributes),
      order.landingSite,
      observed,
    ]);
    const written = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO "Order" ("shop", "id", "customerId", "name", "createdAt", "processedAt", "updatedAt", "cancelledAt", "financialStatus", "test", "currencyCode", "subtotalMinor", "totalMinor", "discountCodes", "noteAttributes", "landingSite", "observedAt")
      ${jsonRows(rows, 17)}
      ON CONFLICT ("shop", "id") DO UPDATE SET
        "customerId" = excluded."customerId", "name" = excluded."name", "createdAt" = excluded."createdAt", "processedAt" = excluded."processedAt",
        "updatedAt" = excluded."updatedAt", "cancelledAt" = excluded."cancelledAt", "financialStatus" = excluded."financialStatus", "test" = excluded."test",
        "currencyCode" = excluded."currencyCode", "subtotalMinor" = excluded."subtotalMinor", "totalMinor" = excluded."totalMinor",
        "discountCodes" = excluded."discountCodes", "noteAttributes" = excluded."noteAttributes", "landingSite" = excluded."landingSite", "observedAt" = excluded."observedAt"
      WHERE excluded."updatedAt" > "Order"."updatedAt"
        OR (excluded."updatedAt" = "Order"."updatedAt" AND excluded."observedAt" > "Order"."observedAt" AND (${ORDER_CHANGED}))
      RETURNING "id"`;
    changed.push(
      ...(await dropDeleted(
        db,
        shop,
        "order",
        written.map((row) => row.id),
      )),
    );
  }
  return changed;
}

/** Refunds do not change once made; writing one again is a no-op. Returns the ids newly inserted or corrected. */
export async function upsertRefunds(db: Db, shop: string, refunds: readonly RefundRecord[]): Promise<string[]> {
  const changed: string[] = [];
  const unique = [...new Map(refunds.map((refund) => [refund.id, refund])).values()];
  for (const batch of chunks(unique, ROWS_PER_STATEMENT)) {
    const rows = batch.map((refund): JsonCell[] => [shop, refund.id, refund.orderId, sqliteDateTime(refund.createdAt), refund.amountMinor]);
    const written = await db.$queryRaw<{ id: string; orderId: string }[]>`
      INSERT INTO "Refund" ("shop", "id", "orderId", "createdAt", "amountMinor")
      ${jsonRows(rows, 5)}
      ON CONFLICT ("shop", "id") DO UPDATE SET "orderId" = excluded."orderId", "createdAt" = excluded."createdAt", "amountMinor" = excluded."amountMinor"
      WHERE excluded."amountMinor" <> "Refund"."amountMinor" OR excluded."orderId" <> "Refund"."orderId" OR excluded."createdAt" <> "Refund"."createdAt"
      RETURNING "id", "orderId"`;
    const erasedOrders = new Set(await erasedOf(db, shop, "order", [...new Set(written.map((row) => row.orderId))]));
    if (erasedOrders.size > 0)
      await db.refund.deleteMany({
        where: { shop, orderId: { in: [...erasedOrders] } },
      });
    changed.push(...written.filter((row) => !erasedOrders.has(row.orderId)).map((row) => row.id));
  }
  return changed;
}

/**
 * Of the rows just written, removes those whose subject was deleted or redacted. The eraser writes
 * its tombstone before deleting, so whichever of the two runs second, the row ends up gone.
 */
async function dropDeleted(db: Db, shop: string, kind: "customer" | "order", ids: string[]): Promise<string[]> {
  const gone = await erasedOf(db, shop, kind, ids);
  if (gone.length === 0) return ids;
  if (kind === "customer") await db.customer.deleteMany({ where: { shop, id: { in: gone } } });
  else await db.order.deleteMany({ where: { shop, id: { in: gone } } });
  const goneIds = new Set(gone);
  return ids.filter((id) => !goneIds.has(id));
}

async function erasedOf(db: Db, shop: string, kind: "customer" | "order", ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "DeletedRecord" WHERE "shop" = ${shop} AND "kind" = ${kind} AND "id" IN (${Prisma.join(ids)})`;
  return rows.map((row) => row.id);
}

/** Of several versions of one record in a batch, the newest; ON CONFLICT cannot touch a row twice in one statement. */
function dedupeNewest<T extends { id: string; updatedAt: Date }>(records: readonly T[]): T[] {
  const newest = new Map<string, T>();
  for (const record of records) {
    const held = newest.get(record.id);
    if (!held || record.updatedAt > held.updatedAt) newest.set(record.id, record);
  }
  return [...newest.values()];
}

/** customers/delete: the customer's row goes, and a tombstone keeps late deliveries from bringing it back. */
export async function deleteCustomer(db: PrismaClient, shop: string, customerId: string, at: Date) {
  await db.$transaction([
    db.deletedRecord.upsert({
      where: { shop_kind_id: { shop, kind: "customer", id: customerId } },
      create: {
        shop,
        kind: "customer",
        id: customerId,
        deletedAt: at,
        reason: "deleted",
      },
      update: {},
    }),
    db.customer.deleteMany({ where: { shop, id: customerId } }),
  ]);
}

/**
 * customers/redact: nothing of the customer may remain — their record, the orders Shopify names
 * (and any others we hold for them), those orders' refunds, and the raw deliveries about them.
 */
export async function redactCustomer(db: PrismaClient, shop: string, customerId: string, orderIds: readonly string[], at: Date) {
  const held = await db.order.findMany({
    where: { shop, customerId },
    select: { id: true },
  });
  const orders = [...new Set([...orderIds, ...held.map((order) => order.id)])];
  const tombstone = (kind: string, id: string) =>
    db.deletedRecord.upsert({
      where: { shop_kind_id: { shop, kind, id } },
      create: { shop, kind, id, deletedAt: at, reason: "redacted" },
      update: { reason: "redacted" },
    });
  await db.$transaction([
    tombstone("customer", customerId),
    ...orders.map((id) => tombstone("order", id)),
    db.customer.deleteMany({ where: { shop, id: customerId } }),
    db.refund.deleteMany({ where: { shop, orderId: { in: orders } } }),
    db.order.deleteMany({ where: { shop, id: { in: orders } } }),
    db.webhookDelivery.deleteMany({
      where: { shop, customerId, status: { in: ["processed", "failed"] } },
    }),
    db.dataRequest.deleteMany({ where: { shop, customerId } }),
  ]);
}

/** customers/data_request: everything we hold about the customer, as one JSON document. */
export async function exportCustomerData(db: PrismaClient, shop: string, customerId: string, orderIds: readonly string[]) {
  const [customer, orders] = await Promise.all([
    db.customer.findUnique({
      where: { shop_id: { shop, id: customerId } },
      omit: { shop: true },
    }),
    db.order.findMany({
      where: { shop, OR: [{ customerId }, { id: { in: [...orderIds] } }] },
      omit: { shop: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const refunds = await db.refund.findMany({
    where: { shop, orderId: { in: orders.map((order) => order.id) } },
    omit: { shop: true },
  });
  return {
    customer,
    orders: orders.map((order) => ({
      ...order,
      discountCodes: JSON.parse(order.discountCodes) as string[],
      noteAttributes: JSON.parse(order.noteAttributes) as unknown,
      refunds: refunds.filter((refund) => refund.orderId === order.id),
    })),
  };
}
