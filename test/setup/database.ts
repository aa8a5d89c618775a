import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const TEST_DB_DIR = path.resolve(".cache", "test-db");
export const TEMPLATE_DB = path.join(TEST_DB_DIR, "template.sqlite");

/**
 * Which database the suite runs on: SQLite (`npm test`) or, with TEST_DATABASE=postgres
 * (`npm run test:postgres`), the PostgreSQL server at TEST_POSTGRES_URL.
 */
export const TEST_ON_POSTGRES = process.env.TEST_DATABASE === "postgres";
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/test";
// A template per checkout lets several checkouts run the PostgreSQL suite at once.
export const POSTGRES_TEMPLATE = process.env.LC_TEST_TEMPLATE || "lc_test_template";

/** The URL of database `name` on the test server. */
export function postgresUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.href;
}

/** Applies the committed migrations with Prisma itself, so tests run on exactly what production deploys. */
export function migrate(url: string) {
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
}

/** A new, migrated SQLite file. */
export function migrateDatabase(file: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  migrate(`file:${file}`);
}

async function onServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Drops `name` on the test server, ending whatever is still connected to it. */
export async function dropPostgresDatabase(name: string) {
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A new PostgreSQL database migrated from empty: the template every test file copies. */
export async function createMigratedPostgresDatabase(name: string): Promise<string> {
  await dropPostgresDatabase(name);
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  migrate(postgresUrl(name));
  return postgresUrl(name);
}

/** Migrates the template every test file copies: a SQLite file, or a PostgreSQL database. */
export async function migrateTemplate() {
  rmSync(TEST_DB_DIR, { recursive: true, force: true });
  mkdirSync(TEST_DB_DIR, { recursive: true });
  migrateDatabase(TEMPLATE_DB);
  if (TEST_ON_POSTGRES) await createMigratedPostgresDatabase(POSTGRES_TEMPLATE);
}

/** A private SQLite copy of the migrated template. */
export function freshDatabaseUrl(name: string): { url: string; remove: () => void } {
  const file = path.join(TEST_DB_DIR, `${name}.sqlite`);
  copyFileSync(TEMPLATE_DB, file);
  return {
    url: `file:${file}`,
    remove: () => {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
    },
  };
}

/** A private PostgreSQL copy of the migrated template (about 60 ms to make). */
export async function freshPostgresDatabase(name: string): Promise<{ url: string; remove: () => Promise<void> }> {
  const database = `lc_t_${name.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}`.slice(0, 63);
  await onServer(async (client) => {
    // Two CREATE DATABASE … TEMPLATE at once may find the template busy; the next try finds it free.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await client.query(`CREATE DATABASE "${database}" TEMPLATE "${POSTGRES_TEMPLATE}"`);
        return;
      } catch (error) {
        if (attempt >= 20 || (error as { code?: string }).code !== "55006") throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  });
  return { url: postgresUrl(database), remove: () => dropPostgresDatabase(database) };
}

/** A private database for one test file, on the database the suite runs on. */
export async function freshTestDatabase(name: string): Promise<{ url: string; remove: () => Promise<void> | void }> {
  return TEST_ON_POSTGRES ? freshPostgresDatabase(name) : freshDatabaseUrl(name);
}
