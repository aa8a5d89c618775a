import Database from "libsql";
import { migrateDatabase } from "../setup/database";

const TABLES = ["Customer", "Order", "Refund"] as const;
// The PRAGMAs app/db.server.ts sets on each of the app's connections.
const SQLITE_PRAGMAS = ["journal_mode = WAL", "synchronous = NORMAL", "busy_timeout = 5000", "foreign_keys = ON"];

export interface FloorResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * The machine's floor for a backfill: the rows the app wrote (copied as stored, every column) written
 * again into a freshly migrated database by one prepared INSERT per table, run row by row in ONE
 * transaction, through libsql — the SQLite driver under the app's @libsql/client — with the app's PRAGMAs.
 */
export function measureFloor(sourceFile: string, targetFile: string): FloorResult {
  const source = new Database(sourceFile, { readonly: true });
  const tables = TABLES.map((table) => {
    const select = source.prepare(`SELECT * FROM "${table}"`).raw();
    return { table, columns: select.columns().map((column) => column.name), rows: select.all() as unknown[][] };
  });
  source.close();

  migrateDatabase(targetFile);
  const target = new Database(targetFile);
  for (const pragma of SQLITE_PRAGMAS) target.pragma(pragma);
  const started = performance.now();
  target.exec("BEGIN");
  for (const { table, columns, rows } of tables) {
    const insert = target.prepare(`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
    for (const row of rows) insert.run(...row);
  }
  target.exec("COMMIT");
  const seconds = (performance.now() - started) / 1000;
  target.close();

  const rows = tables.reduce((sum, { rows }) => sum + rows.length, 0);
  return { rows, seconds, rowsPerSecond: rows / seconds };
}
