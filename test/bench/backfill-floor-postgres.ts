import pg from "pg";
import type { FloorResult } from "./backfill-floor";

const TABLES = ["Customer", "Order", "Refund"] as const;
// Rows per INSERT, as the app's bulk writer gathers them.
const ROWS_PER_STATEMENT = 1_000;

async function connected<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  // Every value as the server's text: the floor binds what it read, with no conversion of its own.
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: () => (value: string) => value } });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL's floor for a backfill (docs/decisions/0001-database-dialects.md): the rows the app
 * wrote (every column, as stored) written again into an empty migrated database by
 * `INSERT … SELECT * FROM unnest($1::type[], …)`, one array per column and ROWS_PER_STATEMENT rows a
 * statement, all in ONE transaction, through the `pg` driver. (Multi-row VALUES is slower than the
 * app itself: binding and planning thousands of parameters a statement.)
 */
export async function measurePostgresFloor(sourceUrl: string, targetUrl: string): Promise<FloorResult> {
  const tables = await connected(sourceUrl, async (client) => {
    const read = [];
    for (const table of TABLES) {
      const columns = await client.query<{ name: string; type: string }>(
        `SELECT column_name AS name, format_type(atttypid, atttypmod) AS type
         FROM information_schema.columns JOIN pg_attribute ON attrelid = format('%I', table_name)::regclass AND attname = column_name
         WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      const rows = await client.query<unknown[]>({ text: `SELECT * FROM "${table}"`, rowMode: "array" });
      read.push({ table, columns: columns.rows, rows: rows.rows });
    }
    return read;
  });

  return connected(targetUrl, async (client) => {
    const started = performance.now();
    await client.query("BEGIN");
    for (const { table, columns, rows } of tables) {
      const insert = `INSERT INTO "${table}" (${columns.map(({ name }) => `"${name}"`).join(", ")})
        SELECT * FROM unnest(${columns.map(({ type }, index) => `$${index + 1}::${type}[]`).join(", ")})`;
      for (let first = 0; first < rows.length; first += ROWS_PER_STATEMENT) {
        const batch = rows.slice(first, first + ROWS_PER_STATEMENT);
        await client.query({ name: `floor_${table}`, text: insert, values: columns.map((_, index) => batch.map((row) => row[index])) });
      }
    }
    await client.query("COMMIT");
    const seconds = (performance.now() - started) / 1000;
    const rows = tables.reduce((sum, { rows }) => sum + rows.length, 0);
    return { rows, seconds, rowsPerSecond: rows / seconds };
  });
}
