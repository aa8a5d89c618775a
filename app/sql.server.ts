import { Prisma, type PrismaClient } from "@prisma/client";
import type { DatabaseDialect } from "./db-url";

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
 * What a column of `jsonRows`/`jsonTable` holds. SQLite reads a JSON value as it is; PostgreSQL
 * reads every value as text and needs the type to compare, compute or insert it.
 */
export type CellType = "text" | "integer" | "real" | "boolean" | "timestamp";

export type SqlDialect = DatabaseDialect;

type AnyClient = PrismaClient | Prisma.TransactionClient;

/**
 * The dialect of the database behind `db`, a client or a transaction's: Prisma keeps the provider
 * its client was generated for on both (`_activeProvider`), and the app generates one client per
 * dialect (docs/decisions/0001-database-dialects.md).
 */
export function dialectOf(db: AnyClient): SqlDialect {
  const provider = (db as unknown as { _activeProvider?: string })._activeProvider;
  if (provider === "sqlite") return "sqlite";
  if (provider === "postgresql" || provider === "postgres") return "postgresql";
  throw new Error(`Not a Prisma client of a known dialect (provider ${String(provider)})`);
}

/**
 * A time bound as a parameter where the SQL gives it no type of its own (a CASE or COALESCE branch):
 * PostgreSQL reads an untyped parameter there as text, so it is cast; SQLite keeps Prisma's text.
 */
export function timestampValue(db: AnyClient, at: Date): Prisma.Sql {
  return dialectOf(db) === "postgresql" ? Prisma.sql`CAST(${at} AS timestamptz(3))` : Prisma.sql`${at}`;
}

const POSTGRES_CASTS: Record<CellType, string> = {
  text: "",
  integer: "::bigint",
  real: "::double precision",
  boolean: "::boolean",
  timestamp: "::timestamptz(3)",
};

/** `value->>0, …` for each column, typed on PostgreSQL. */
export function jsonColumns(dialect: SqlDialect, types: readonly CellType[]): string {
  return types.map((type, index) => (dialect === "postgresql" && type !== "text" ? `(value->>${index})${POSTGRES_CASTS[type]}` : `value->>${index}`)).join(", ");
}

/** The FROM clause over the rows of one JSON array parameter, each row's array in `value`: the text before and after the parameter. */
function jsonArraySourceAround(dialect: SqlDialect): [string, string] {
  return dialect === "postgresql" ? ["jsonb_array_elements(", "::jsonb) AS j(value)"] : ["json_each(", ")"];
}

/** The same FROM clause with `parameter` (a placeholder such as `?` or `$1`) in place. */
export function jsonArraySource(dialect: SqlDialect, parameter: string): string {
  return jsonArraySourceAround(dialect).join(parameter);
}

/** `json_each(?)` / `jsonb_array_elements(?::jsonb) AS j(value)` over `rows`, for a FROM clause of one's own. */
export function jsonArrayFrom(db: AnyClient, rows: readonly (readonly JsonCell[])[]): Prisma.Sql {
  return Prisma.sql(jsonArraySourceAround(dialectOf(db)), JSON.stringify(rows));
}

/**
 * `SELECT value->>0, …, value->>(n-1) FROM <each element of ?> WHERE true`: many rows bound as one
 * JSON parameter, read back as columns, for INSERT … SELECT of thousands of rows. Prisma spends far
 * more per bound parameter than the database does per JSON value, so one parameter instead of tens
 * of thousands makes bulk writes several times faster and keeps no array of parameters alive.
 * (`WHERE true` lets SQLite parse a following ON CONFLICT.)
 */
export function jsonRows(db: AnyClient, rows: readonly (readonly JsonCell[])[], types: readonly CellType[]): Prisma.Sql {
  const dialect = dialectOf(db);
  const [before, after] = jsonArraySourceAround(dialect);
  return Prisma.sql([`SELECT ${jsonColumns(dialect, types)} FROM ${before}`, `${after} WHERE true`], JSON.stringify(rows));
}

/**
 * `WITH <name>(c0, …, c<n-1>) AS MATERIALIZED (SELECT value->>0, … FROM <each element of ?>)`: rows
 * bound as one JSON parameter, for `UPDATE <table> … FROM <name> WHERE <table>.<key> = <name>.c0`.
 * Materialized, SQLite walks these rows and finds each target by its key; with json_each itself in
 * the FROM clause it walked the shop's whole table once for every row (seconds per row at 100,000).
 */
export function jsonTable(db: AnyClient, name: string, rows: readonly (readonly JsonCell[])[], types: readonly CellType[]): Prisma.Sql {
  const dialect = dialectOf(db);
  const names = types.map((_, index) => `c${index}`).join(", ");
  const [before, after] = jsonArraySourceAround(dialect);
  return Prisma.sql([`WITH ${name}(${names}) AS MATERIALIZED (SELECT ${jsonColumns(dialect, types)} FROM ${before}`, `${after})`], JSON.stringify(rows));
}

/**
 * Reads `SELECT <columns> <rest>` as one JSON array of row arrays built by the database, parsed
 * once: for reads of many thousands of rows, where converting every cell through the driver and
 * Prisma costs three times what the query does. Dates come back as ISO text with an offset;
 * booleans as 0/1 on SQLite and true/false on PostgreSQL (read them with `Boolean`).
 */
export async function queryJsonRows<Row extends readonly unknown[]>(db: AnyClient, columns: Prisma.Sql, rest: Prisma.Sql): Promise<Row[]> {
  const [result] =
    dialectOf(db) === "postgresql"
      ? await db.$queryRaw<{ rows: string }[]>`SELECT coalesce(json_agg(json_build_array(${columns})), '[]')::text AS "rows" ${rest}`
      : await db.$queryRaw<{ rows: string }[]>`SELECT json_group_array(json_array(${columns})) AS "rows" ${rest}`;
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
      db,
      "j",
      customerIds.map((id) => [id]),
      ["text"],
    )}
    UPDATE ${DUE_MARKS[mark]} FROM j WHERE ${table}."shop" = ${shop} AND ${table}."customerId" = j.c0`;
}

/** Tables a bulk write can change by a large share at once (a backfill, a shop's first recompute). */
export type BulkWrittenTable = "Customer" | "Order" | "Refund" | "CustomerLifecycle" | "StageChange";

/**
 * After a bulk write, PostgreSQL's planner sees a table as it was until autovacuum analyzes it (a
 * minute or more later), and plans the merchant's first pages for a table of a few rows: at
 * 100,000 customers the customer list read every customer for a page (0.5 s instead of 3 ms).
 * Tables changed by as much as autovacuum's own threshold (50 rows and 10 % of the table) are
 * analyzed now. SQLite plans without statistics here: nothing to do.
 */
export async function refreshPlannerStatistics(db: PrismaClient, rowsWritten: Partial<Record<BulkWrittenTable, number>>): Promise<BulkWrittenTable[]> {
  if (dialectOf(db) !== "postgresql") return [];
  const written = Object.entries(rowsWritten).filter(([, rows]) => rows !== undefined && rows > 50) as [BulkWrittenTable, number][];
  if (written.length === 0) return [];
  // reltuples is -1 for a table never analyzed.
  const estimates = await db.$queryRaw<{ table: string; rows: number }[]>`
    SELECT "relname"::text AS "table", GREATEST("reltuples", 0)::float8 AS "rows" FROM pg_class
    WHERE "relkind" IN ('r', 'p') AND "relnamespace" = current_schema()::regnamespace AND "relname" = ANY(${written.map(([table]) => table)})`;
  const estimated = new Map(estimates.map((row) => [row.table, Number(row.rows)]));
  const stale = written.filter(([table, rows]) => rows > 50 + 0.1 * (estimated.get(table) ?? 0)).map(([table]) => table);
  // The names come from BulkWrittenTable, not from input.
  for (const table of stale) await db.$executeRawUnsafe(`ANALYZE "${table}"`);
  return stale;
}
