import { Prisma, type PrismaClient } from "@prisma/client";
import { z } from "zod";
import { STAGES } from "~/lifecycle/model";
import { RFM_GROUPS } from "~/lifecycle/rfm";
import { VALUE_BANDS } from "~/lifecycle/value-band";

export const CUSTOMERS_PER_PAGE = 50;
/** Rows per query when walking the whole list (CSV export): few queries, bounded memory. */
export const EXPORT_PAGE_SIZE = 1000;

/** The customer list's query string: filters, search, sort and the page cursor. Anything else is refused. */
export const CustomerListQuery = z.object({
  stage: z.enum(STAGES).optional(),
  rfm: z.enum(RFM_GROUPS).optional(),
  band: z.enum(VALUE_BANDS).optional(),
  // Recency and frequency scores: a cell of the dashboard's R×F grid.
  r: z.coerce.number().int().min(1).max(5).optional(),
  f: z.coerce.number().int().min(1).max(5).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(["revenue", "name"]).default("revenue"),
  after: z.string().max(500).optional(),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

const Cursor = z.tuple([z.union([z.number(), z.string()]), z.string()]);

export interface CustomerListRow {
  customerId: string;
  name: string;
  email: string | null;
  stage: string;
  rfmGroup: string;
  valueBand: string;
  purchases: number;
  trailingYearRevenueMinor: number;
  lastPurchaseAt: Date | null;
}

/** The lowercased "first last email" a customer is sorted and searched by: the expression of the index "Customer_shop_nameKey_idx". */
const nameKeyOf = (customer: Prisma.Sql) =>
  Prisma.sql`LOWER(COALESCE(${customer}."firstName", '') || ' ' || COALESCE(${customer}."lastName", '') || ' ' || COALESCE(${customer}."email", ''))`;

const encodeCursor = (value: number | string, id: string) => Buffer.from(JSON.stringify([value, id])).toString("base64url");

/** One page of the shop's customers with their lifecycle, filtered, searched and sorted, by keyset (stable while data changes). */
export async function customerListPage(
  db: PrismaClient,
  shop: string,
  query: CustomerListQuery,
  { limit = CUSTOMERS_PER_PAGE }: { limit?: number } = {},
): Promise<{ rows: CustomerListRow[]; next: string | null }> {
  const conditions: Prisma.Sql[] = [Prisma.sql`l."shop" = ${shop}`];
  if (query.stage) conditions.push(Prisma.sql`l."stage" = ${query.stage}`);
  if (query.rfm) conditions.push(Prisma.sql`l."rfmGroup" = ${query.rfm}`);
  if (query.band) conditions.push(Prisma.sql`l."valueBand" = ${query.band}`);
  if (query.r) conditions.push(Prisma.sql`l."recency" = ${query.r}`);
  if (query.f) conditions.push(Prisma.sql`l."frequency" = ${query.f}`);
  if (query.q) {
    const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    // The name key holds the name and the email the list shows. A substring needs no order: PostgreSQL
    // finds it through a trigram index on the key, SQLite by scanning the key's index, not the customers.
    conditions.push(Prisma.sql`l."customerId" IN (SELECT s."id" FROM "Customer" s WHERE s."shop" = ${shop} AND ${nameKeyOf(Prisma.raw("s"))} LIKE ${like} ESCAPE '\\')`);
  }
  const nameKey = nameKeyOf(Prisma.raw("c"));
  const cursor = query.after ? Cursor.safeParse(safeJson(query.after)) : null;
  if (cursor && !cursor.success) throw new InvalidCursorError();
  if (cursor?.success) {
    const [value, id] = cursor.data;
    conditions.push(
      query.sort === "revenue"
        ? Prisma.sql`(l."trailingYearRevenueMinor" < ${Number(value)} OR (l."trailingYearRevenueMinor" = ${Number(value)} AND l."customerId" > ${id}))`
        : Prisma.sql`(${nameKey} > ${String(value)} OR (${nameKey} = ${String(value)} AND l."customerId" > ${id}))`,
    );
  }
  const order = query.sort === "revenue" ? Prisma.sql`l."trailingYearRevenueMinor" DESC, l."customerId" ASC` : Prisma.sql`${nameKey} ASC, l."customerId" ASC`;
  const rows = await db.$queryRaw<(CustomerListRow & { firstName: string | null; lastName: string | null; nameKey: string })[]>`
    SELECT l."customerId", c."firstName", c."lastName", c."email", l."stage", l."rfmGroup", l."valueBand", l."purchases", l."trailingYearRevenueMinor", l."lastPurchaseAt", ${nameKey} AS "nameKey"
    FROM "CustomerLifecycle" l JOIN "Customer" c ON c."shop" = l."shop" AND c."id" = l."customerId"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${order}
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map((row) => ({
      customerId: row.customerId,
      name: [row.firstName, row.lastName].filter(Boolean).join(" ") || row.email || row.customerId,
      email: row.email,
      stage: row.stage,
      rfmGroup: row.rfmGroup,
      valueBand: row.valueBand,
      purchases: Number(row.purchases),
      trailingYearRevenueMinor: Number(row.trailingYearRevenueMinor),
      lastPurchaseAt: row.lastPurchaseAt,
    })),
    next: rows.length > limit && last ? encodeCursor(query.sort === "revenue" ? Number(last.trailingYearRevenueMinor) : last.nameKey, last.customerId) : null,
  };
}

/** Every customer matching the query's filters (from the first, whatever its cursor), fetched a page at a time as they are consumed. */
export async function* customerListRows(
  db: PrismaClient,
  shop: string,
  query: CustomerListQuery,
  { pageSize = EXPORT_PAGE_SIZE }: { pageSize?: number } = {},
): AsyncGenerator<CustomerListRow, void, undefined> {
  let after: string | undefined;
  do {
    const page = await customerListPage(db, shop, { ...query, after }, { limit: pageSize });
    yield* page.rows;
    after = page.next ?? undefined;
  } while (after);
}

export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
}

function safeJson(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}
