import type { Prisma } from "@prisma/client";

/**
 * The SQL of customer data requests, erasure and payload retention that differs between SQLite and
 * PostgreSQL (docs/decisions/0001-database-dialects.md). Both read raw payloads in the database, so
 * 64-bit ids stay exact: JSON.parse in JavaScript would round them.
 */

/** The fields of a payload kept once it is processed: `true` keeps a field whole, an object keeps only its listed fields. */
export type KeptFields = { readonly [field: string]: true | KeptFields };

/** A column of an exported table, as Prisma's schema types it. */
export interface ExportColumn {
  name: string;
  /** Prisma's scalar type: String, Int, Float, Boolean, DateTime, BigInt. */
  type: string;
  /** Text embedded in the export as the JSON it holds (as text when it is not JSON). */
  json?: boolean;
}

export interface ExportSpec {
  /** Quoted table name; its rows are aliased `w`. */
  table: string;
  columns: readonly ExportColumn[];
  /** Primary key columns: rows are exported in their order. */
  primaryKey: readonly ExportColumn[];
  /** Condition on `w` choosing the rows. */
  where: Prisma.Sql;
}

export interface ComplianceSql {
  /** `SELECT value FROM …`: one row per text of `values`, as one bound parameter. */
  textValues(values: readonly string[]): Prisma.Sql;
  /** The customer id delivery `w`'s payload names for its topic, as exact text; null for other topics or a payload that is not JSON. */
  payloadCustomerId: Prisma.Sql;
  /** The same for the order id. */
  payloadOrderId: Prisma.Sql;
  /**
   * `SELECT … AS "rows" FROM …`: the rows as one JSON array text of objects, keys in the order of
   * `columns`, rows by primary key; booleans 0/1, times as Prisma's SQLite text
   * ("2026-11-23T14:52:12.278+00:00"), `json` columns embedded as JSON when they hold JSON, else as text.
   */
  exportRows(spec: ExportSpec): Prisma.Sql;
  /** The kept fields of `"payload"` (a JSON object) as compact JSON text, keys in `fields` order, a missing one null. */
  keptPayload(fields: KeptFields): Prisma.Sql;
  /** Whether `"payload"` is a JSON object. */
  payloadIsObject: Prisma.Sql;
}

/** Payload fields are spliced into SQL: only plain names. */
export function checkedField(field: string): string {
  if (!/^\w+$/.test(field)) throw new Error(`Unexpected payload field name ${field}`);
  return field;
}

export const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `build`, run once for each topic's fields: the statements are the same every time. */
export function builtOnce(build: (fields: KeptFields) => Prisma.Sql): (fields: KeptFields) => Prisma.Sql {
  const built = new WeakMap<KeptFields, Prisma.Sql>();
  return (fields) => {
    let sql = built.get(fields);
    if (!sql) built.set(fields, (sql = build(fields)));
    return sql;
  };
}
