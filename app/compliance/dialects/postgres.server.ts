import { Prisma } from "@prisma/client";
import { builtOnce, checkedField, quoted, type ComplianceSql, type ExportColumn, type ExportSpec, type KeptFields } from "./dialect";

/*
 * PostgreSQL 15 has no json_valid (`IS JSON` is 16+): the baseline migration's try_jsonb(text) is
 * NULL for text that is not JSON. Kept payloads and exported rows are built as text, compact, keys in
 * our order, so they read as SQLite's do: jsonb would sort keys, json_build_object spaces them, and
 * `json` values keep the text they were given (64-bit ids exact, keys in Shopify's order).
 */

/** Prisma's SQLite text of a DateTime, whatever the session's time zone. */
const dateText = (cell: string) => `to_char(${cell} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')`;

/** A column's cell as JSON text (SQL NULL for NULL): as SQLite's json_object writes the stored value. */
function exportedValue(column: ExportColumn): string {
  const cell = `w.${quoted(column.name)}`;
  if (column.json) return `CASE WHEN try_jsonb(${cell}) IS NULL THEN to_json(${cell})::text ELSE ${cell} END`;
  if (column.type === "DateTime") return `to_json(${dateText(cell)})::text`;
  // SQLite stores booleans as 0/1.
  if (column.type === "Boolean") return `${cell}::integer::text`;
  // SQLite writes a whole REAL with ".0" (amounts in minor units mostly are); 15 digits, as its %!.15g.
  if (column.type === "Float") return `CASE WHEN ${cell} = trunc(${cell}) AND abs(${cell}) < 1e15 THEN ${cell}::bigint::text || '.0' ELSE to_json(${cell})::text END`;
  return `to_json(${cell})::text`;
}

/** Text primary keys in byte order, SQLite's BINARY collation. */
const orderedBy = (column: ExportColumn) => `w.${quoted(column.name)}${column.type === "String" ? ` COLLATE "C"` : ""}`;

function exportRows({ table, columns, primaryKey, where }: ExportSpec): Prisma.Sql {
  const members = columns.map((column) => `'${JSON.stringify(column.name)}:' || coalesce(${exportedValue(column)}, 'null')`).join(" || ',' || ");
  const order = primaryKey.map(orderedBy).join(", ");
  return Prisma.sql`
    SELECT '[' || coalesce(string_agg('{' || ${Prisma.raw(members)} || '}', ',' ORDER BY ${Prisma.raw(order)}), '') || ']' AS "rows"
    FROM ${Prisma.raw(table)} w
    WHERE ${where}`;
}

/** The kept fields of `json`, an SQL expression of type json (an object), as JSON text. */
function keptJson(fields: KeptFields, json: string): string {
  const members = Object.entries(fields).map(([field, kept]) => {
    // Parenthesized: `->` and `||` have the same precedence in PostgreSQL.
    const value = `(${json} -> '${checkedField(field)}')`;
    const whole = `coalesce(${value}::text, 'null')`;
    const text = kept === true ? whole : `CASE WHEN json_typeof(${value}) = 'object' THEN ${keptJson(kept, value)} ELSE ${whole} END`;
    return `'"${field}":' || ${text}`;
  });
  return `'{' || ${members.join(" || ',' || ")} || '}'`;
}

/** `try_jsonb(w."payload") #>> '{a,b}'` for the topics listed: the id as text, exactly as sent. */
const payloadId = (cases: readonly [topics: string, path: string][]) =>
  Prisma.raw(`CASE ${cases.map(([topics, path]) => `WHEN w."topic" IN (${topics}) THEN try_jsonb(w."payload") #>> '{${path}}'`).join("\n  ")} END`);
const ORDER_TOPICS = `'orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled'`;

export const POSTGRES_COMPLIANCE_SQL: ComplianceSql = {
  textValues: (values) => Prisma.sql`SELECT value FROM jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)`,
  payloadCustomerId: payloadId([
    [ORDER_TOPICS, "customer,id"],
    [`'customers/create', 'customers/update', 'customers/delete'`, "id"],
    [`'customers/redact', 'customers/data_request'`, "customer,id"],
  ]),
  payloadOrderId: payloadId([
    [ORDER_TOPICS, "id"],
    [`'refunds/create'`, "order_id"],
  ]),
  exportRows,
  // Read as `json`, not jsonb, so fields kept whole keep their text and key order.
  keptPayload: builtOnce((fields) => Prisma.raw(`(SELECT ${keptJson(fields, "s.p")} FROM (SELECT "payload"::json AS p) AS s)`)),
  payloadIsObject: Prisma.raw(`jsonb_typeof(try_jsonb("payload")) = 'object'`),
};
