import { mkdirSync, rmSync } from "node:fs";
import { migrateDatabase, TEMPLATE_DB, TEST_DB_DIR } from "./database";

export default function setup() {
  rmSync(TEST_DB_DIR, { recursive: true, force: true });
  mkdirSync(TEST_DB_DIR, { recursive: true });
  migrateDatabase(TEMPLATE_DB);
}
