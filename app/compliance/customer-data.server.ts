/**
 * Everything we hold about one customer, in one place: what customers/data_request exports and what
 * customers/redact erases are read from the same list of tables, so neither can miss one the other
 * covers (test/sync/compliance.test.ts checks that every table with a customer column is listed).
 */
import { Prisma, type PrismaClient } from "@prisma/client";
import { complianceSql, type ComplianceSql, type ExportColumn } from "./dialects/index.server";
import { quoted } from "./dialects/dialect";

/** How a table's rows about the customer are found. */
type Subject =
  /** The column holds the customer's id. */
  | { column: string }
  /** Their orders: held for them, or named by Shopify's request (guest orders have no customer). */
  | { orders: true }
  /** Rows of those orders. */
  | { ofOrders: string }
  /** Webhook deliveries naming the customer or one of those orders, by stamp or by payload. */
  | { deliveries: true };

export interface CustomerTable {
  /** Its name in the export. */
  section: string;
  model: Prisma.ModelName;
  subject: Subject;
  /** Its primary key (Prisma's runtime schema does not say): the export lists rows in its order. */
  key: readonly string[];
  /** Columns left out of the export (other than "shop"). */
  omit?: readonly string[];
}

export const CUSTOMER_TABLES: readonly CustomerTable[] = [
  { section: "profile", model: "Customer", key: ["shop", "id"], subject: { column: "id" } },
  { section: "orders", model: "Order", key: ["shop", "id"], subject: { orders: true } },
  { section: "refunds", model: "Refund", key: ["shop", "id"], subject: { ofOrders: "orderId" } },
  { section: "lifecycle", model: "CustomerLifecycle", key: ["shop", "customerId"], subject: { column: "customerId" } },
  { section: "stageHistory", model: "StageChange", key: ["id"], subject: { column: "customerId" } },
  { section: "advocateMarks", model: "AdvocateMark", key: ["shop", "customerId"], subject: { column: "customerId" } },
  { section: "pointsLedger", model: "PointsEntry", key: ["id"], subject: { column: "customerId" } },
  { section: "loyaltyAccount", model: "LoyaltyAccount", key: ["shop", "customerId"], subject: { column: "customerId" } },
  { section: "redemptions", model: "Redemption", key: ["id"], subject: { column: "customerId" } },
  { section: "referralCodes", model: "ReferralCode", key: ["shop", "customerId"], subject: { column: "customerId" } },
  { section: "referralsAsReferrer", model: "Referral", key: ["id"], subject: { column: "referrerId" } },
  { section: "referralsAsFriend", model: "Referral", key: ["id"], subject: { column: "friendId" } },
  // Earlier requests: when they were made and answered (their exports are not copied into this one).
  { section: "dataRequests", model: "DataRequest", key: ["id"], subject: { column: "customerId" }, omit: ["export"] },
  { section: "deliveries", model: "WebhookDelivery", key: ["id"], subject: { deliveries: true }, omit: ["attempts", "availableAt", "lockedBy", "lockedUntil"] },
];

/** The table's columns, as the export reads them. */
function columnsOf(model: Prisma.ModelName): ExportColumn[] {
  const found = Prisma.dmmf.datamodel.models.find((candidate) => candidate.name === model);
  if (!found) throw new Error(`No model ${model}`);
  return found.fields
    .filter((field) => field.kind === "scalar")
    .map((field) => ({
      name: field.dbName ?? field.name,
      type: field.type,
      // A raw payload is embedded as the JSON it is (ids exact), one that is not JSON as its text.
      json: model === "WebhookDelivery" && field.name === "payload",
    }));
}

function tableOf(model: Prisma.ModelName): string {
  return Prisma.dmmf.datamodel.models.find((candidate) => candidate.name === model)?.dbName ?? model;
}

/** A request about a customer: their id and the orders Shopify names (ids as text). */
export interface CustomerRequest {
  shop: string;
  customerId: string;
  orderIds: readonly string[];
  /** The delivery carrying the request, left for its own processing to settle. */
  deliveryId: number;
}

/** The customer's orders: those we hold for them, and those Shopify names. */
const ordersOf = (sql: ComplianceSql, request: CustomerRequest) =>
  Prisma.sql`${sql.textValues(request.orderIds)} UNION SELECT "id" FROM "Order" WHERE "shop" = ${request.shop} AND "customerId" = ${request.customerId}`;

/**
 * The rows of a table that are about the customer, as a condition on the table (aliased `w` for
 * deliveries). A delivery that processing stamped is found by its stamp; one that was never
 * processed (pending, processing, skipped, failed) by the ids in its payload, read exactly by the database.
 */
function aboutCustomer(sql: ComplianceSql, table: CustomerTable, request: CustomerRequest): Prisma.Sql {
  const subject = table.subject;
  if ("column" in subject) return Prisma.sql`${Prisma.raw(quoted(subject.column))} = ${request.customerId}`;
  if ("orders" in subject) return Prisma.sql`"id" IN (${ordersOf(sql, request)})`;
  if ("ofOrders" in subject) return Prisma.sql`${Prisma.raw(quoted(subject.ofOrders))} IN (${ordersOf(sql, request)})`;
  return Prisma.sql`w."id" <> ${request.deliveryId} AND (
    w."customerId" = ${request.customerId} OR w."orderId" IN (${ordersOf(sql, request)})
    OR (w."customerId" IS NULL AND w."orderId" IS NULL AND (${sql.payloadCustomerId} = ${request.customerId} OR ${sql.payloadOrderId} IN (${ordersOf(sql, request)}))))`;
}

/** One section of the export: the table's rows about the customer, as a JSON array built by the database. */
async function exportSection(db: PrismaClient, table: CustomerTable, request: CustomerRequest): Promise<string> {
  const sql = complianceSql(db);
  const omitted = new Set(["shop", ...(table.omit ?? [])]);
  const columns = columnsOf(table.model);
  const [row] = await db.$queryRaw<{ rows: string }[]>(
    sql.exportRows({
      table: quoted(tableOf(table.model)),
      columns: columns.filter((column) => !omitted.has(column.name)),
      primaryKey: table.key.map((name) => {
        const column = columns.find((candidate) => candidate.name === name);
        if (!column) throw new Error(`No column ${name} in ${table.model}`);
        return column;
      }),
      where: Prisma.sql`w."shop" = ${request.shop} AND ${aboutCustomer(sql, table, request)}`,
    }),
  );
  return row?.rows ?? "[]";
}

/**
 * customers/data_request: every row of every table about the customer, as one JSON document (text:
 * the database writes it, so ids in raw payloads stay exact), each table's rows in primary key order.
 * Booleans are 0/1 and times ISO text, as SQLite stores them, on PostgreSQL too.
 */
export async function exportCustomerData(db: PrismaClient, request: CustomerRequest, generatedAt: Date): Promise<string> {
  const header = {
    shop: request.shop,
    customerId: request.customerId,
    ordersRequested: request.orderIds,
    generatedAt: generatedAt.toISOString(),
  };
  const sections: string[] = [];
  for (const table of CUSTOMER_TABLES) sections.push(`${JSON.stringify(table.section)}:${await exportSection(db, table, request)}`);
  return `${JSON.stringify(header).slice(0, -1)},${sections.join(",")}}`;
}

/**
 * customers/redact: every row about the customer, in every table, in one transaction — their
 * deliveries of any status too — with tombstones for the customer and their orders, so that nothing
 * arriving later (a delivery, a reconciliation, a recompute) can bring them back.
 */
export async function eraseCustomerData(db: PrismaClient, request: CustomerRequest, at: Date) {
  const { shop } = request;
  const sql = complianceSql(db);
  // The time outside the UNION: PostgreSQL types a parameter there from the column it goes into.
  const tombstones = Prisma.sql`
    INSERT INTO "DeletedRecord" ("shop", "kind", "id", "deletedAt", "reason")
    SELECT ${shop}, t."kind", t."id", ${at}, 'redacted' FROM (
      SELECT 'customer' AS "kind", ${request.customerId} AS "id"
      UNION ALL SELECT 'order', "value" FROM (${ordersOf(sql, request)}) AS o) AS t
    WHERE true
    ON CONFLICT ("shop", "kind", "id") DO UPDATE SET "reason" = 'redacted'`;
  // Orders go last: the other tables find the customer's orders through them.
  const byDependency = [...CUSTOMER_TABLES].sort((a, b) => Number("orders" in a.subject) - Number("orders" in b.subject));
  await db.$transaction([
    db.$executeRaw(tombstones),
    ...byDependency.map(
      (table) =>
        db.$executeRaw`DELETE FROM ${Prisma.raw(quoted(tableOf(table.model)))} AS w WHERE w."shop" = ${shop} AND ${aboutCustomer(sql, table, request)}`,
    ),
  ]);
}
