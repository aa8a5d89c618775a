import { Prisma } from "@prisma/client";
import { builtOnce, checkedField, quoted, type ComplianceSql, type ExportColumn, type ExportSpec, type KeptFields } from "./dialect";

/** The export's cell of a column: JSON text is embedded as the JSON it is (ids exact), other text as text. */
function exportedValue(column: ExportColumn): string {
  const cell = `w.${quoted(column.name)}`;
  return column.json ? `CASE WHEN json_valid(${cell}) THEN json(${cell}) ELSE json_quote(${cell}) END` : cell;
}

function exportRows({ table, columns, primaryKey, where }: ExportSpec): Prisma.Sql {
  const members = columns.map((column) => `'${column.name}', ${exportedValue(column)}`).join(", ");
  const order = primaryKey.map((column) => `w.${quoted(column.name)}`).join(", ");
  return Prisma.sql`
    SELECT json_group_array(json("row")) AS "rows" FROM (
      SELECT json_object(${Prisma.raw(members)}) AS "row" FROM ${Prisma.raw(table)} w
      WHERE ${where}
      ORDER BY ${Prisma.raw(order)})`;
}

/** The kept fields rebuilt by SQLite's JSON functions, which hold 64-bit ids exactly. */
function keptJson(fields: KeptFields, path: string): string {
  const members = Object.entries(fields).map(([field, kept]) => {
    const at = `${path}.${checkedField(field)}`;
    // `->` answers JSON, so json_object embeds objects and arrays as they are, not as strings.
    const value =
      kept === true
        ? `"payload" -> '${at}'`
        : `json(CASE WHEN json_type("payload", '${at}') = 'object' THEN ${keptJson(kept, at)} ELSE "payload" -> '${at}' END)`;
    return `'${field}', ${value}`;
  });
  return `json_object(${members.join(", ")})`;
}

export const SQLITE_COMPLIANCE_SQL: ComplianceSql = {
  textValues: (values) => Prisma.sql`SELECT value FROM json_each(${JSON.stringify(values)})`,
  payloadCustomerId: Prisma.raw(`CASE WHEN json_valid(w."payload") THEN CASE
  WHEN w."topic" IN ('orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled') THEN CAST(json_extract(w."payload", '$.customer.id') AS TEXT)
  WHEN w."topic" IN ('customers/create', 'customers/update', 'customers/delete') THEN CAST(json_extract(w."payload", '$.id') AS TEXT)
  WHEN w."topic" IN ('customers/redact', 'customers/data_request') THEN CAST(json_extract(w."payload", '$.customer.id') AS TEXT)
  END END`),
  payloadOrderId: Prisma.raw(`CASE WHEN json_valid(w."payload") THEN CASE
  WHEN w."topic" IN ('orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled') THEN CAST(json_extract(w."payload", '$.id') AS TEXT)
  WHEN w."topic" = 'refunds/create' THEN CAST(json_extract(w."payload", '$.order_id') AS TEXT)
  END END`),
  exportRows,
  keptPayload: builtOnce((fields) => Prisma.raw(keptJson(fields, "$"))),
  payloadIsObject: Prisma.raw(`CASE WHEN json_valid("payload") THEN json_type("payload") = 'object' ELSE 0 END`),
};
