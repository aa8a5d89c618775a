/**
 * Everything we hold about one customer, in one place: what customers/data_request exports and what
 * customers/redact erases are read from the same list of tables, so neither can miss one the other
 * covers (test/sync/compliance.test.ts checks that every table with a customer column is listed).
 */
import { Prisma, type PrismaClient } from "@prisma/client";
import { PAYLOAD_CUSTOMER_ID, PAYLOAD_ORDER_ID } from "~/webhooks/retention.server";

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
  /** Columns left out of the export (other than "shop"). */
  omit?: readonly string[];
}

export const CUSTOMER_TABLES: readonly CustomerTable[] = [
  { section: "profile", model: "Customer", subject: { column: "id" } },
  { section: "orders", model: "Order", subject: { orders: true } },
  { section: "refunds", model: "Refund", subject: { ofOrders: "orderId" } },
  { section: "lifecycle", model: "CustomerLifecycle", subject: { column: "customerId" } },
  { section: "stageHistory", model: "StageChange", subject: { column: "customerId" } },
  { section: "advocateMarks", model: "AdvocateMark", subject: { column: "customerId" } },
  { section: "pointsLedger", model: "PointsEntry", subject: { column: "customerId" } },
  { section: "loyaltyAccount", model: "LoyaltyAccount", subject: { column: "customerId" } },
  { section: "redemptions", model: "Redemption", subject: { column: "customerId" } },
  { section: "referralCodes", model: "ReferralCode", subject: { column: "customerId" } },
  { section: "referralsAsReferrer", model: "Referral", subject: { column: "referrerId" } },
  { section: "referralsAsFriend", model: "Referral", subject: { column: "friendId" } },
  // Earlier requests: when they were made and answered (their exports are not copied into this one).
  { section: "dataRequests", model: "DataRequest", subject: { column: "customerId" }, omit: ["export"] },
  { section: "deliveries", model: "WebhookDelivery", subject: { deliveries: true }, omit: ["attempts", "availableAt", "lockedBy", "lockedUntil"] },
];

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

function columnsOf(model: Prisma.ModelName): string[] {
  const found = Prisma.dmmf.datamodel.models.find((candidate) => candidate.name === model);
  if (!found) throw new Error(`No model ${model}`);
  return found.fields.filter((field) => field.kind === "scalar").map((field) => field.dbName ?? field.name);
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
const ordersOf = (request: CustomerRequest) =>
  Prisma.sql`SELECT value FROM json_each(${JSON.stringify(request.orderIds)}) UNION SELECT "id" FROM "Order" WHERE "shop" = ${request.shop} AND "customerId" = ${request.customerId}`;

/**
 * The rows of a table that are about the customer, as a condition on the table (aliased `w` for
 * deliveries). A delivery that processing stamped is found by its stamp; one that was never
 * processed (pending, processing, skipped, failed) by the ids in its payload, read exactly by SQLite.
 */
function aboutCustomer(table: CustomerTable, request: CustomerRequest): Prisma.Sql {
  const subject = table.subject;
  if ("column" in subject) return Prisma.sql`${Prisma.raw(quoted(subject.column))} = ${request.customerId}`;
  if ("orders" in subject) return Prisma.sql`"id" IN (${ordersOf(request)})`;
  if ("ofOrders" in subject) return Prisma.sql`${Prisma.raw(quoted(subject.ofOrders))} IN (${ordersOf(request)})`;
  return Prisma.sql`w."id" <> ${request.deliveryId} AND (
    w."customerId" = ${request.customerId} OR w."orderId" IN (${ordersOf(request)})
    OR (w."customerId" IS NULL AND w."orderId" IS NULL AND (${PAYLOAD_CUSTOMER_ID} = ${request.customerId} OR ${PAYLOAD_ORDER_ID} IN (${ordersOf(request)}))))`;
}

function exportedValue(table: CustomerTable, column: string): string {
  // A payload is embedded as the JSON it is (ids exact); one that is not JSON as its text.
  if (table.model === "WebhookDelivery" && column === "payload") return `CASE WHEN json_valid(w."payload") THEN json(w."payload") ELSE json_quote(w."payload") END`;
  return `w.${quoted(column)}`;
}

/** One section of the export: the table's rows about the customer, as a JSON array built by SQLite. */
async function exportSection(db: PrismaClient, table: CustomerTable, request: CustomerRequest): Promise<string> {
  const omitted = new Set(["shop", ...(table.omit ?? [])]);
  const members = columnsOf(table.model)
    .filter((column) => !omitted.has(column))
    .map((column) => `'${column}', ${exportedValue(table, column)}`)
    .join(", ");
  const [row] = await db.$queryRaw<{ rows: string }[]>`
    SELECT json_group_array(json("row")) AS "rows" FROM (
      SELECT json_object(${Prisma.raw(members)}) AS "row" FROM ${Prisma.raw(quoted(tableOf(table.model)))} w
      WHERE w."shop" = ${request.shop} AND ${aboutCustomer(table, request)}
      ORDER BY w."rowid")`;
  return row?.rows ?? "[]";
}

/**
 * customers/data_request: every row of every table about the customer, as one JSON document (text:
 * SQLite writes it, so ids in raw payloads stay exact). Booleans are 0/1 and times ISO text, as stored.
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
  const tombstones = Prisma.sql`
    INSERT INTO "DeletedRecord" ("shop", "kind", "id", "deletedAt", "reason")
    SELECT ${shop}, 'customer', ${request.customerId}, ${at}, 'redacted'
    UNION ALL SELECT ${shop}, 'order', "value", ${at}, 'redacted' FROM (${ordersOf(request)})
    WHERE true
    ON CONFLICT ("shop", "kind", "id") DO UPDATE SET "reason" = 'redacted'`;
  // Orders go last: the other tables find the customer's orders through them.
  const byDependency = [...CUSTOMER_TABLES].sort((a, b) => Number("orders" in a.subject) - Number("orders" in b.subject));
  await db.$transaction([
    db.$executeRaw(tombstones),
    ...byDependency.map(
      (table) =>
        db.$executeRaw`DELETE FROM ${Prisma.raw(quoted(tableOf(table.model)))} AS w WHERE w."shop" = ${shop} AND ${aboutCustomer(table, request)}`,
    ),
  ]);
}
