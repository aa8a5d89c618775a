import type { PrismaClient } from "@prisma/client";
import Database from "libsql";

/** A bound value: text, number or NULL (dates as `sqliteDateTime` text, booleans as 0/1). */
export type BulkCell = string | number | null;

/**
 * A statement written for many rows, in each dialect: SQLite prepares `sqlite` once and runs it for
 * each row (cells bound as ?1…?n); PostgreSQL gathers the rows and runs `postgres` over many at once
 * ($1: a JSON array of the rows' cells), as a statement per row costs a round trip each.
 */
export interface BulkStatement {
  readonly sqlite: string;
  readonly postgres: string;
  /** The cells naming the row written: ON CONFLICT … DO UPDATE may touch a row once per statement, so a repeated row waits for the next one. */
  readonly key: readonly number[];
}

/**
 * Runs one statement (prepared once, then reused) with its cells bound as ?1…?n — SQL text, the
 * same in both dialects, or a `BulkStatement`; returns the rows it changed, or null where the
 * statement only runs after `write` returns (PrismaBulkWriter, PostgresBulkWriter).
 */
export type BulkExecute = (statement: string | BulkStatement, cells: readonly BulkCell[]) => number | null;

/** The SQLite text of a statement handed to `BulkExecute`. */
export const sqliteText = (statement: string | BulkStatement) => (typeof statement === "string" ? statement : statement.sqlite);

// While another connection (a Prisma transaction, another process) holds the write lock, BEGIN is
// tried again after these waits, for at most LOCK_WAIT_MS in all.
const LOCK_RETRY_MS = [1, 2, 5, 10, 20, 50, 100];
const LOCK_WAIT_MS = 30_000;
const CHECKPOINT_PAGES = 16_000;

/** What a transaction waits for: `after`, a transaction that must commit first (if it fails, this one is not run and fails too). */
export interface BulkTransactionOptions {
  after?: Promise<unknown>;
  /**
   * The transaction records its own progress with its rows (the backfill's cursor), so should the
   * database lose its last commits in a crash the work is simply redone: on PostgreSQL it then
   * commits without waiting for the WAL flush (`synchronous_commit = off`, this transaction only).
   */
  redoneIfLost?: boolean;
}

/** Writes many rows in one transaction: `write` is synchronous and hands every statement to `execute`. */
export interface BulkWriter {
  transaction<T>(write: (execute: BulkExecute) => T, options?: BulkTransactionOptions): Promise<T>;
}

export class BulkWriteLockTimeout extends Error {
  override name = "BulkWriteLockTimeout";
}

/**
 * A second connection to the SQLite file, for writes of many thousands of rows (the backfill):
 * each row bound to a prepared statement, the way SQLite writes fastest, instead of going through
 * Prisma, whose per-row cost is several times SQLite's own.
 *
 * Each transaction runs synchronously from BEGIN to COMMIT, so nothing else in this process runs
 * inside it and no Prisma transaction can be left waiting on its lock. Its BEGIN never blocks the
 * event loop: this connection has no busy timeout, and while another connection holds the write
 * lock it waits asynchronously and tries again.
 */
export class SqliteBulkWriter implements BulkWriter {
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  // Transactions on this connection, one after another: the backfill and the webhook inbox share it.
  private previous: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connection: Database.Database,
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    /** Runs each synchronous stretch of SQLite work; the app's client counts the time for benchmarks. */
    private readonly timed: <T>(run: () => T) => T = (run) => run(),
  ) {}

  static open(file: string, pragmas: readonly string[], timed?: <T>(run: () => T) => T): SqliteBulkWriter {
    const connection = new Database(file);
    for (const pragma of pragmas) connection.pragma(pragma);
    connection.pragma("busy_timeout = 0");
    // Checkpoint after 64 MB of WAL rather than 4: a bulk write touches the same index pages batch
    // after batch, and each checkpoint copies them (with an fsync) into the database again.
    connection.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    return new SqliteBulkWriter(connection, undefined, timed);
  }

  /**
   * Runs `write` in one IMMEDIATE transaction; it must be synchronous (it is handed `execute`, and
   * may not await). A transaction asked for while another one of this connection waits for the lock
   * runs after it: a second BEGIN on the connection would fail.
   */
  transaction<T>(write: (execute: BulkExecute) => T, options: BulkTransactionOptions = {}): Promise<T> {
    const run = this.previous.then(async () => {
      await options.after;
      return this.run(write);
    });
    this.previous = run.catch(() => undefined);
    return run;
  }

  private async run<T>(write: (execute: BulkExecute) => T): Promise<T> {
    await this.begin();
    try {
      return this.timed(() => {
        const result = write(this.execute);
        // Committing before an awaited write finished would commit half of it.
        if (result instanceof Promise) throw new TypeError("A bulk write transaction must be synchronous");
        this.connection.exec("COMMIT");
        return result;
      });
    } catch (error) {
      if (this.connection.inTransaction) this.connection.exec("ROLLBACK");
      throw error;
    }
  }

  close() {
    this.statements.clear();
    this.connection.close();
  }

  private readonly execute: BulkExecute = (sqlOrStatement, cells) => {
    const sql = sqliteText(sqlOrStatement);
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement.run(...cells).changes;
  };

  private async begin() {
    let waited = 0;
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.timed(() => this.connection.exec("BEGIN IMMEDIATE"));
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
        if (waited >= LOCK_WAIT_MS) throw new BulkWriteLockTimeout(`The database stayed locked for ${LOCK_WAIT_MS / 1000} s`);
        const delay = LOCK_RETRY_MS[Math.min(attempt, LOCK_RETRY_MS.length - 1)]!;
        await this.sleep(delay);
        waited += delay;
      }
    }
  }
}

/**
 * The same writes through Prisma, for a SQLite database that is not a local file (a remote libsql URL),
 * where no second connection of our own is possible: the statements `write` hands over are run in
 * one Prisma transaction afterwards. Correct, not fast.
 */
export class PrismaBulkWriter implements BulkWriter {
  constructor(private readonly db: PrismaClient) {}

  async transaction<T>(write: (execute: BulkExecute) => T, options: BulkTransactionOptions = {}): Promise<T> {
    await options.after;
    const statements: [string, readonly BulkCell[]][] = [];
    const result = write((statement, cells) => {
      statements.push([sqliteText(statement), cells]);
      return null;
    });
    if (result instanceof Promise) throw new TypeError("A bulk write transaction must be synchronous");
    await this.db.$transaction(async (tx) => {
      for (const [sql, cells] of statements) await tx.$executeRawUnsafe(sql, ...cells);
    });
    return result;
  }
}
