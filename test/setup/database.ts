import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";

export const TEST_DB_DIR = path.resolve(".cache", "test-db");
export const TEMPLATE_DB = path.join(TEST_DB_DIR, "template.sqlite");

/** Applies the committed migrations with Prisma itself, so tests run on exactly what production deploys. */
export function migrateDatabase(file: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    stdio: "pipe",
  });
}

/** A private copy of the migrated template: every test file gets a database of its own. */
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
