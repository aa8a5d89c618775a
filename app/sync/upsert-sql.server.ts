/**
 * The guarded upserts of customers, orders and refunds, as SQL text and the cells each row binds:
 * one definition for both ways rows are written — many rows as one JSON parameter through Prisma
 * (webhooks, reconciliation), or one row per execution of a prepared statement on the bulk writer's
 * connection (backfill) — and for both dialects (PostgreSQL always reads rows from one JSON array).
 */
import { jsonArraySource, jsonColumns, sqliteDateTime, type CellType } from "~/sql.server";
import type { CustomerRecord, OrderRecord, RefundRecord } from "./records";

/** A bound value: dates as `sqliteDateTime` text, booleans as 0/1. */
export type Cell = string | number | null;

interface UpsertTable {
  table: string;
  columns: readonly string[];
  /** Each column's type: PostgreSQL reads JSON values as text and casts them. */
  types: readonly CellType[];
  /** The tombstone that keeps a row out: a deleted or redacted record of this kind, named by the cell at this index. */
  tombstone: { kind: "customer" | "order"; idCell: number };
  /** ON CONFLICT … DO UPDATE: the columns written, and when (rows are "excluded" and the table's name). */
  update: readonly string[];
  when: string;
}

const CUSTOMER_COLUMNS = ["shop", "id", "createdAt", "updatedAt", "state", "tags", "emailMarketingState", "firstName", "lastName", "email", "observedAt"];
const ORDER_COLUMNS = [
  "shop",
  "id",
  "customerId",
  "name",
  "createdAt",
  "processedAt",
  "updatedAt",
  "cancelledAt",
  "financialStatus",
  "test",
  "currencyCode",
  "subtotalMinor",
  "totalMinor",
  "discountCodes",
  "noteAttributes",
  "landingSite",
  "observedAt",
];
const REFUND_COLUMNS = ["shop", "id", "orderId", "createdAt", "amountMinor"];
const CUSTOMER_TYPES: CellType[] = ["text", "text", "timestamp", "timestamp", "text", "text", "text", "text", "text", "text", "timestamp"];
const ORDER_TYPES: CellType[] = [
  "text",
  "text",
  "text",
  "text",
  "timestamp",
  "timestamp",
  "timestamp",
  "timestamp",
  "text",
  "boolean",
  "text",
  "real",
  "real",
  "text",
  "text",
  "text",
  "timestamp",
];
const REFUND_TYPES: CellType[] = ["text", "text", "text", "timestamp", "real"];

const quoted = (column: string) => `"${column}"`;
const anyDiffers = (table: string, columns: readonly string[]) =>
  columns.map((column) => `excluded."${column}" IS DISTINCT FROM "${table}"."${column}"`).join(" OR ");

/**
 * A newer version wins: a later `updatedAt`, or the same second observed later — if it differs at
 * all, so observing the same data again (a re-run backfill, a repeated delivery) writes nothing. Any
 * order of the same deliveries ends in the same state.
 */
const newerVersion = (table: string, compared: readonly string[]) =>
  `excluded."updatedAt" > "${table}"."updatedAt" OR (excluded."updatedAt" = "${table}"."updatedAt" AND excluded."observedAt" > "${table}"."observedAt" AND (${anyDiffers(
    table,
    compared,
  )}))`;

const updatedFromExcluded = (columns: readonly string[]) => columns.filter((column) => column !== "shop" && column !== "id");

export const CUSTOMERS: UpsertTable = {
  table: "Customer",
  columns: CUSTOMER_COLUMNS,
  types: CUSTOMER_TYPES,
  tombstone: { kind: "customer", idCell: 1 },
  update: updatedFromExcluded(CUSTOMER_COLUMNS),
  when: newerVersion("Customer", ["createdAt", "state", "tags", "emailMarketingState", "firstName", "lastName", "email"]),
};

export const ORDERS: UpsertTable = {
  table: "Order",
  columns: ORDER_COLUMNS,
  types: ORDER_TYPES,
  tombstone: { kind: "order", idCell: 1 },
  update: updatedFromExcluded(ORDER_COLUMNS),
  when: newerVersion(
    "Order",
    ORDER_COLUMNS.filter((column) => !["shop", "id", "updatedAt", "observedAt"].includes(column)),
  ),
};

/** Refunds do not change once made: writing one again is a no-op unless Shopify's data differs. A refund of an erased order stays out. */
export const REFUNDS: UpsertTable = {
  table: "Refund",
  columns: REFUND_COLUMNS,
  types: REFUND_TYPES,
  tombstone: { kind: "order", idCell: 2 },
  update: ["orderId", "createdAt", "amountMinor"],
  when: anyDiffers("Refund", ["orderId", "createdAt", "amountMinor"]),
};

/**
 * `INSERT … SELECT <cells> WHERE NOT EXISTS <tombstone> ON CONFLICT … DO UPDATE … WHERE <newer>`
 * for SQLite. `source: "row"` binds one row as ?1…?n; `source: "json"` reads many from one JSON
 * array of rows bound as the single parameter (see `jsonRows` in app/sql.server.ts for why).
 */
export function upsertSql(spec: UpsertTable, source: "row" | "json", returning?: string): string {
  if (source === "row") return guardedUpsert(spec, (index) => `?${index + 1}`, "", returning);
  return guardedUpsert(spec, (index) => `value->>${index}`, ` FROM ${jsonArraySource("sqlite", "?")}`, returning);
}

/**
 * The same upsert for PostgreSQL over many rows: $1 is a JSON array of rows, each value cast to its
 * column's type (`ON CONFLICT … WHERE`, `excluded`, `IS DISTINCT FROM` and `RETURNING` are the same).
 * A statement may not touch one row twice: rows of one statement must have distinct ids.
 */
export function postgresUpsertSql(spec: UpsertTable, returning?: string): string {
  const cells = jsonColumns("postgresql", spec.types).split(", ");
  return guardedUpsert(spec, (index) => cells[index]!, ` FROM ${jsonArraySource("postgresql", "$1")}`, returning);
}

function guardedUpsert(spec: UpsertTable, cell: (index: number) => string, from: string, returning: string | undefined): string {
  const cells = spec.columns.map((_, index) => cell(index)).join(", ");
  return [
    `INSERT INTO "${spec.table}" (${spec.columns.map(quoted).join(", ")})`,
    `SELECT ${cells}${from}`,
    `WHERE NOT EXISTS (SELECT 1 FROM "DeletedRecord" WHERE "shop" = ${cell(0)} AND "kind" = '${spec.tombstone.kind}' AND "id" = ${cell(
      spec.tombstone.idCell,
    )})`,
    `ON CONFLICT ("shop", "id") DO UPDATE SET ${spec.update.map((column) => `"${column}" = excluded."${column}"`).join(", ")}`,
    `WHERE ${spec.when}`,
    ...(returning ? [`RETURNING ${returning}`] : []),
  ].join("\n");
}

export function customerCells(shop: string, customer: CustomerRecord, observedAt: string): Cell[] {
  return [
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
    observedAt,
  ];
}

export function orderCells(shop: string, order: OrderRecord, observedAt: string): Cell[] {
  return [
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
    observedAt,
  ];
}

export function refundCells(shop: string, refund: RefundRecord): Cell[] {
  return [shop, refund.id, refund.orderId, sqliteDateTime(refund.createdAt), refund.amountMinor];
}
