import { createHash } from "node:crypto";
import type pg from "pg";
import type { BulkCell, BulkExecute, BulkStatement, BulkTransactionOptions, BulkWriter } from "~/sqlite-bulk-writer.server";

// Rows per statement: one JSON parameter of a backfill batch.
const ROWS_PER_STATEMENT = 1_000;

/** SQL text run as it is, its ?n placeholders made $n. */
interface Single {
  sql: string;
  cells: readonly BulkCell[];
}

/** Rows gathered for one run of a BulkStatement, and the keys they write. */
interface Gathered {
  statement: BulkStatement;
  rows: (readonly BulkCell[])[];
  keys: Set<string>;
}

/**
 * The bulk writer on PostgreSQL (docs/decisions/0001-database-dialects.md): one client of the pool
 * under the app's Prisma client, BEGIN … COMMIT, statements through the `pg` driver itself, as
 * Prisma's cost per statement halves the backfill's rate.
 *
 * `write` stays synchronous (the contract of BulkWriter) and only hands statements over; they run
 * after it returns, so `execute` returns null. The rows of each BulkStatement are gathered and
 * written by one statement per ROWS_PER_STATEMENT (a repeated key starts another, as ON CONFLICT may
 * touch a row once per statement): between two SQL texts, the gathered statements run in the
 * order each was first handed over, and every SQL text runs after all that came before it.
 * Transactions asked for at once run at once, each on a client of its own. `write` runs at once,
 * even with `after`: a caller's next rows are read while the previous transaction is on the server.
 */
export class PostgresBulkWriter implements BulkWriter {
  // Prepared once per connection: the gathered statements are a few constant texts. A name made
  // from the text stays the same text's on every connection, whichever writer prepared it.
  private readonly names = new Map<string, string>();

  constructor(private readonly pool: pg.Pool) {}

  async transaction<T>(write: (execute: BulkExecute) => T, options: BulkTransactionOptions = {}): Promise<T> {
    const steps: (Single | Gathered)[] = [];
    const open = new Map<BulkStatement, Gathered>();
    const result = write((statement, cells) => {
      if (typeof statement === "string") {
        steps.push({ sql: statement.replace(/\?(\d+)/g, "$$$1"), cells });
        open.clear();
        return null;
      }
      const key = JSON.stringify(statement.key.map((index) => cells[index]));
      let gathered = open.get(statement);
      if (!gathered || gathered.keys.has(key) || gathered.rows.length >= ROWS_PER_STATEMENT) {
        gathered = { statement, rows: [], keys: new Set() };
        steps.push(gathered);
        open.set(statement, gathered);
      }
      gathered.rows.push(cells);
      gathered.keys.add(key);
      return null;
    });
    // Committing before an awaited write finished would commit half of it.
    if (result instanceof Promise) throw new TypeError("A bulk write transaction must be synchronous");
    await options.after;
    if (steps.length > 0) await this.run(steps, options.redoneIfLost === true);
    return result;
  }

  private async run(steps: readonly (Single | Gathered)[], redoneIfLost: boolean) {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      if (redoneIfLost) await client.query("SET LOCAL synchronous_commit = off");
      for (const step of steps) {
        if ("sql" in step) await client.query(step.sql, step.cells as BulkCell[]);
        else await client.query({ name: this.nameOf(step.statement.postgres), text: step.statement.postgres, values: [JSON.stringify(step.rows)] });
      }
      await client.query("COMMIT");
    } catch (error) {
      // A connection that cannot even roll back is not given back to the pool.
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private nameOf(sql: string): string {
    let name = this.names.get(sql);
    if (!name) {
      name = `bulk_${createHash("sha256").update(sql).digest("hex").slice(0, 32)}`;
      this.names.set(sql, name);
    }
    return name;
  }
}
