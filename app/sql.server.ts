import { Prisma } from "@prisma/client";

/**
 * `<head> (…), (…), … <tail>` with `values` laid out row after row, `columns` to a row: Prisma.sql
 * called with its strings array directly, so no Sql object per row, while Prisma still writes the
 * placeholders each database expects. For multi-row INSERTs of thousands of rows.
 */
export function multiRowSql(head: string, columns: number, values: readonly unknown[], tail = ""): Prisma.Sql {
  const strings: string[] = new Array<string>(values.length + 1);
  strings[0] = `${head} (`;
  for (let index = 1; index < values.length; index += 1) strings[index] = index % columns === 0 ? "), (" : ", ";
  strings[values.length] = `) ${tail}`;
  return Prisma.sql(strings, ...values);
}

// Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
export const MAX_PARAMETERS = 16_000;
