import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DB_DIR } from "../setup/database";

// The migration that starts recording the tags we write, run on a database of an install from before it.
const MIGRATIONS = path.resolve("prisma", "migrations");
const RECORDING = "20261203120000_tags_we_wrote";
const file = path.join(TEST_DB_DIR, "tags-migration.sqlite");
let db: Client;

async function apply(folder: string) {
  await db.executeMultiple(readFileSync(path.join(MIGRATIONS, folder, "migration.sql"), "utf8"));
}

const APPROVED = "approved.myshopify.com";
const NEVER_APPROVED = "never-approved.myshopify.com";

async function customer(shop: string, id: string, tags: string, lifecycle: { stage: string; rfmGroup: string; valueBand: string }) {
  const at = "2026-11-01T00:00:00.000+00:00";
  await db.execute({
    sql: `INSERT INTO "Customer" ("shop","id","createdAt","updatedAt","state","tags","observedAt") VALUES (?,?,?,?,?,?,?)`,
    args: [shop, id, at, at, "ENABLED", tags, at],
  });
  await db.execute({
    sql: `INSERT INTO "CustomerLifecycle" ("shop","customerId","stage","reasonKey","stageSince","rfmGroup","valueBand","purchases","netRevenueMinor","trailingYearRevenueMinor","computedAt")
          VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
    args: [shop, id, lifecycle.stage, "lifecycle.reason.loyal", at, lifecycle.rfmGroup, lifecycle.valueBand, 3, 1000, 1000, at],
  });
}

const writtenTags = async (shop: string, id: string) => {
  const result = await db.execute({ sql: `SELECT "writtenTags" FROM "CustomerLifecycle" WHERE "shop" = ? AND "customerId" = ?`, args: [shop, id] });
  const value = result.rows[0]!.writtenTags as string | null;
  return value === null ? null : (JSON.parse(value) as string[]).sort();
};

beforeAll(async () => {
  rmSync(file, { force: true });
  db = createClient({ url: `file:${file}` });
  const folders = readdirSync(MIGRATIONS)
    .filter((folder) => folder !== "migration_lock.toml")
    .sort();
  for (const folder of folders.filter((name) => name < RECORDING)) await apply(folder);
  // An install that approved write-back, after a prefix change from "vip-" (then retired) to "lifecycle:".
  await db.execute({
    sql: `INSERT INTO "LifecycleSettings" ("shop","retiredTagPrefixes","writeBackApprovedAt","updatedAt") VALUES (?,?,?,?)`,
    args: [APPROVED, '["vip-"]', "2026-11-02T00:00:00.000+00:00", "2026-11-02T00:00:00.000+00:00"],
  });
  await db.execute({ sql: `INSERT INTO "LifecycleSettings" ("shop","updatedAt") VALUES (?,?)`, args: [NEVER_APPROVED, "2026-11-02T00:00:00.000+00:00"] });
  const loyal = { stage: "loyal", rfmGroup: "CHAMPIONS", valueBand: "large" };
  await customer(APPROVED, "1", "vip-gold, Lifecycle:Loyal, rfm:champions, value:large, wholesale", loyal);
  // Moved to at risk since the last write: the loyal tag we wrote is not claimed, nor the merchant's look-alikes.
  await customer(APPROVED, "2", "lifecycle:loyal, rfm:champions, value:platinum, vip-at_risk", { ...loyal, stage: "at_risk" });
  await customer(NEVER_APPROVED, "3", "lifecycle:loyal, rfm:champions, value:large", loyal);
  await apply(RECORDING);
});

afterAll(() => {
  db.close();
  rmSync(file, { force: true });
});

describe("recording the tags we wrote, on an existing install", () => {
  it("claims only the exact tags the current settings give each customer's recorded lifecycle, and only those they carry", async () => {
    expect(await writtenTags(APPROVED, "1")).toEqual(["Lifecycle:Loyal", "rfm:champions", "value:large"].map((tag) => tag.toLowerCase()).sort());
    expect(await writtenTags(APPROVED, "2")).toEqual(["rfm:champions"]);
  });

  it("claims nothing where write-back was never approved", async () => {
    expect(await writtenTags(NEVER_APPROVED, "3")).toBeNull();
  });

  it("marks every customer due, so the first write-back after it looks at everyone once", async () => {
    const due = await db.execute(`SELECT COUNT(*) AS n FROM "CustomerLifecycle" WHERE "writeBackDue" > 0`);
    expect(Number(due.rows[0]!.n)).toBe(3);
  });
});
