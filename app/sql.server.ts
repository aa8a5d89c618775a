import { Prisma, type PrismaClient } from "@prisma/client";

/**
 * Prisma's text form of a DateTime in SQLite ("2026-11-23T14:52:12.278+00:00"). Values written
 * outside Prisma's own parameter mapping must match it, or text comparisons between rows disagree.
 */
export function sqliteDateTime(at: Date): string {
  return at.toISOString().replace("Z", "+00:00");
}

/** A cell of `jsonRows`: dates go in as `sqliteDateTime` text, booleans as 0/1. */
export type JsonCell = string | number | null;

/**
 * `SELECT value->>0, …, value->>(columns-1) FROM json_each(?) WHERE true`: many rows bound as one
 * JSON parameter, read back as columns, for INSERT … SELECT of thousands of rows. Prisma spends far
 * more per bound parameter than SQLite does per JSON value, so one parameter instead of tens of
 * thousands makes bulk writes several times faster and keeps no array of parameters alive.
 * (`WHERE true` lets SQLite parse a following ON CONFLICT.)
 */
export function jsonRows(rows: readonly (readonly JsonCell[])[], columns: number): Prisma.Sql {
  const select = Array.from({ length: columns }, (_, index) => `value->>${index}`).join(", ");
  return Prisma.sql([`SELECT ${select} FROM json_each(`, `) WHERE true`], JSON.stringify(rows));
}

/**
 * `WITH <name>(c0, …, c<columns-1>) AS MATERIALIZED (SELECT value->>0, … FROM json_each(?))`: rows
 * bound as one JSON parameter, for `UPDATE <table> … FROM <name> WHERE <table>.<key> = <name>.c0`.
 * Materialized, SQLite walks these rows and finds each target by its key; with json_each itself in
 * the FROM clause it walked the shop's whole table once for every row (seconds per row at 100,000).
 */
export function jsonTable(name: string, rows: readonly (readonly JsonCell[])[], columns: number): Prisma.Sql {
  const names = Array.from({ length: columns }, (_, index) => `c${index}`).join(", ");
  const select = Array.from({ length: columns }, (_, index) => `value->>${index}`).join(", ");
  return Prisma.sql([`WITH ${name}(${names}) AS MATERIALIZED (SELECT ${select} FROM json_each(`, `))`], JSON.stringify(rows));
}

/**
 * Reads `SELECT <columns> <rest>` as one JSON array of row arrays built by SQLite, parsed once:
 * for reads of many thousands of rows, where converting every cell through the driver and Prisma
 * costs three times what the query does. Dates come back as text, booleans as 0/1.
 */
export async function queryJsonRows<Row extends readonly unknown[]>(db: PrismaClient, columns: Prisma.Sql, rest: Prisma.Sql): Promise<Row[]> {
  const [result] = await db.$queryRaw<{ rows: string }[]>`SELECT json_group_array(json_array(${columns})) AS "rows" ${rest}`;
  return JSON.parse(result?.rows ?? "[]") as Row[];
}

/**
 * The per-customer "due" marks that make write-back work per change: a version counter, positive
 * while due, negated by the job that dealt with that version (a mark bumped since stays due).
 */
const DUE_MARKS = {
  writeBack: Prisma.raw(`"CustomerLifecycle" SET "writeBackDue" = abs("writeBackDue") + 1`),
  loyaltySummary: Prisma.raw(`"LoyaltyAccount" SET "summaryDue" = abs("summaryDue") + 1`),
} as const;
const DUE_MARK_TABLES = { writeBack: Prisma.raw(`"CustomerLifecycle"`), loyaltySummary: Prisma.raw(`"LoyaltyAccount"`) } as const;

/** The statement marking these customers of the shop (or all of them) due for `mark`; run it, or hand it to a batch `$transaction`. */
export function markDueStatement(
  db: PrismaClient | Prisma.TransactionClient,
  mark: keyof typeof DUE_MARKS,
  shop: string,
  customerIds: readonly string[] | "all",
): Prisma.PrismaPromise<number> {
  if (customerIds === "all") return db.$executeRaw`UPDATE ${DUE_MARKS[mark]} WHERE "shop" = ${shop}`;
  const table = DUE_MARK_TABLES[mark];
  return db.$executeRaw`
    ${jsonTable(
      "j",
      customerIds.map((id) => [id]),
      1,
    )}
    UPDATE ${DUE_MARKS[mark]} FROM j WHERE ${table}."shop" = ${shop} AND ${table}."customerId" = j.c0`;
}
