import type { Prisma, PrismaClient } from "@prisma/client";
import type { BulkExecute, BulkStatement } from "~/sqlite-bulk-writer.server";
import { dialectOf, sqliteDateTime, type SqlDialect } from "~/sql.server";
import type { CustomerRecord, OrderRecord, RefundRecord } from "./records";
import { CUSTOMERS, customerCells, ORDERS, orderCells, postgresUpsertSql, REFUNDS, refundCells, upsertSql, type Cell } from "./upsert-sql.server";

type Db = PrismaClient | Prisma.TransactionClient;

// Rows per INSERT (one JSON parameter): a reconciliation page in one statement.
const ROWS_PER_STATEMENT = 1_000;

type ManyRows = Record<SqlDialect, string>;
const UPSERT_CUSTOMERS: ManyRows = { sqlite: upsertSql(CUSTOMERS, "json", '"id"'), postgresql: postgresUpsertSql(CUSTOMERS, '"id"') };
const UPSERT_ORDERS: ManyRows = { sqlite: upsertSql(ORDERS, "json", '"id"'), postgresql: postgresUpsertSql(ORDERS, '"id"') };
const UPSERT_REFUNDS: ManyRows = { sqlite: upsertSql(REFUNDS, "json", '"id"'), postgresql: postgresUpsertSql(REFUNDS, '"id"') };

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

/** Runs one of the upserts over many rows bound as one JSON parameter; returns the ids it inserted or changed. */
async function upsertRows(db: Db, upserts: ManyRows, rows: Cell[][]): Promise<string[]> {
  const upsert = upserts[dialectOf(db)];
  const changed: string[] = [];
  for (const batch of chunks(rows, ROWS_PER_STATEMENT)) {
    // Constant SQL text (upsertSql) with one placeholder: the batch as a JSON array of rows.
    const written = await db.$queryRawUnsafe<{ id: string }[]>(upsert, JSON.stringify(batch));
    for (const row of written) changed.push(row.id);
  }
  return changed;
}

/**
 * Writes customers, each only if it is a newer version than what we hold (see upsert-sql.server.ts),
 * so a stale, repeated or reordered delivery never overwrites newer data. Customers deleted or
 * redacted stay gone. Returns the ids actually inserted or changed.
 */
export async function upsertCustomers(db: Db, shop: string, customers: readonly CustomerRecord[], observedAt: Date): Promise<string[]> {
  const observed = sqliteDateTime(observedAt);
  return upsertRows(
    db,
    UPSERT_CUSTOMERS,
    dedupeNewest(customers).map((customer) => customerCells(shop, customer, observed)),
  );
}

/** Writes orders guarded like customers (`updatedAt`, then `observedAt`); returns the ids inserted or changed. */
export async function upsertOrders(db: Db, shop: string, orders: readonly OrderRecord[], observedAt: Date): Promise<string[]> {
  const observed = sqliteDateTime(observedAt);
  return upsertRows(
    db,
    UPSERT_ORDERS,
    dedupeNewest(orders).map((order) => orderCells(shop, order, observed)),
  );
}

/** Refunds do not change once made; writing one again is a no-op. Returns the ids newly inserted or corrected. */
export async function upsertRefunds(db: Db, shop: string, refunds: readonly RefundRecord[]): Promise<string[]> {
  const unique = [...new Map(refunds.map((refund) => [refund.id, refund])).values()];
  return upsertRows(
    db,
    UPSERT_REFUNDS,
    unique.map((refund) => refundCells(shop, refund)),
  );
}

// Each names its row by ("shop", "id"), the conflict target.
const UPSERT_CUSTOMER_ROW: BulkStatement = { sqlite: upsertSql(CUSTOMERS, "row"), postgres: postgresUpsertSql(CUSTOMERS), key: [0, 1] };
const UPSERT_ORDER_ROW: BulkStatement = { sqlite: upsertSql(ORDERS, "row"), postgres: postgresUpsertSql(ORDERS), key: [0, 1] };
const UPSERT_REFUND_ROW: BulkStatement = { sqlite: upsertSql(REFUNDS, "row"), postgres: postgresUpsertSql(REFUNDS), key: [0, 1] };

/**
 * The backfill's write: the same guarded upserts, on SQLite each row bound to a prepared statement
 * on the bulk writer's connection (app/sqlite-bulk-writer.server.ts) and written at once, on
 * PostgreSQL gathered into statements of many rows; inside the caller's transaction.
 */
export function bulkRowWriter(execute: BulkExecute, shop: string, observedAt: Date) {
  const observed = sqliteDateTime(observedAt);
  return {
    customer: (customer: CustomerRecord) => execute(UPSERT_CUSTOMER_ROW, customerCells(shop, customer, observed)),
    order: (order: OrderRecord) => execute(UPSERT_ORDER_ROW, orderCells(shop, order, observed)),
    refund: (refund: RefundRecord) => execute(UPSERT_REFUND_ROW, refundCells(shop, refund)),
  };
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
