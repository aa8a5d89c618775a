import type { PrismaClient } from "@prisma/client";
import { describe, expect, it } from "vitest";
import prisma, { bulkWriterFor, registerGuardedClient } from "~/db.server";
import { PrismaBulkWriter } from "~/sqlite-bulk-writer.server";
import { dialectOf, sqliteDateTime } from "~/sql.server";
import { bulkRowWriter } from "~/sync/upserts.server";

const onPostgres = dialectOf(prisma) === "postgresql";
const SHOP = "bulk-writer.myshopify.com";
const INSERT_SHOP = `INSERT INTO "Shop" ("shop", "name", "updatedAt") VALUES (?1, ?2, ?3)`;
const RENAME_SHOP = `UPDATE "Shop" SET "name" = ?2 WHERE "shop" = ?1`;

describe("the bulk writer's connection", () => {
  it("commits a transaction that Prisma then reads, and rolls back one that fails entirely", async () => {
    const writer = bulkWriterFor(prisma);
    await writer.transaction((execute) => execute(INSERT_SHOP, [SHOP, "written in bulk", sqliteDateTime(new Date())]));
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ name: "written in bulk" });

    await expect(
      writer.transaction((execute) => {
        execute(RENAME_SHOP, [SHOP, "half-applied"]);
        execute(INSERT_SHOP, [SHOP, "a duplicate key", sqliteDateTime(new Date())]);
      }),
    ).rejects.toThrow(/UNIQUE|duplicate key value violates unique constraint/);
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ name: "written in bulk" });
  });

  it("runs transactions asked for at the same time one after the other (the backfill and the webhook inbox share the connection)", async () => {
    const writer = bulkWriterFor(prisma);
    const shops = ["together-1", "together-2", "together-3"].map((name) => `${name}.myshopify.com`);
    await Promise.all(shops.map((shop) => writer.transaction((execute) => execute(INSERT_SHOP, [shop, shop, sqliteDateTime(new Date())]))));
    expect(await prisma.shop.count({ where: { shop: { in: shops } } })).toBe(3);
  });

  it("refuses an asynchronous write, committing none of it", async () => {
    const writer = bulkWriterFor(prisma);
    await expect(
      writer.transaction(async (execute) => {
        execute(RENAME_SHOP, [SHOP, "before an await"]);
        await Promise.resolve();
      }),
    ).rejects.toThrow(/synchronous/);
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ name: "written in bulk" });
  });

  // SQLite's database-wide write lock; the PostgreSQL writer waits on a row lock instead (below).
  it.skipIf(onPostgres)("waits, without blocking the event loop, while a Prisma transaction holds the write lock, then writes after it", async () => {
    const writer = bulkWriterFor(prisma);
    let releasePrisma!: () => void;
    const prismaHolds = new Promise<void>((resolve) => (releasePrisma = resolve));
    const order: string[] = [];
    let prismaStarted!: () => void;
    const started = new Promise<void>((resolve) => (prismaStarted = resolve));
    const prismaTransaction = prisma.$transaction(async (tx) => {
      await tx.shop.update({ where: { shop: SHOP }, data: { name: "Prisma's" } });
      prismaStarted();
      await prismaHolds;
      order.push("prisma commits");
    });
    await started;
    const bulk = writer.transaction((execute) => {
      execute(RENAME_SHOP, [SHOP, "the bulk writer's"]);
      order.push("bulk writes");
    });
    // The event loop still runs while the bulk writer waits for the lock.
    await new Promise((resolve) => setTimeout(resolve, 30));
    order.push("event loop ran");
    releasePrisma();
    await Promise.all([prismaTransaction, bulk]);
    expect(order).toEqual(["event loop ran", "prisma commits", "bulk writes"]);
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ name: "the bulk writer's" });
  });
});

// PrismaBulkWriter runs the SQLite statements, for a remote libsql URL; PostgreSQL has its own writer.
describe.skipIf(onPostgres)("the bulk writer through Prisma (a SQLite database that is not a local file)", () => {
  const shop = "prisma-bulk-writer.myshopify.com";
  const customer = {
    id: "501",
    createdAt: new Date("2025-01-02T03:04:05Z"),
    updatedAt: new Date("2025-02-01T00:00:00Z"),
    state: "ENABLED",
    tags: "VIP",
    emailMarketingState: null,
    firstName: "Ada",
    lastName: null,
    email: "ada@example.com",
  };

  it("writes the backfill's guarded upserts in one transaction, and none of them when one fails", async () => {
    const writer = new PrismaBulkWriter(prisma);
    await writer.transaction((execute) => bulkRowWriter(execute, shop, new Date()).customer(customer));
    expect(await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "501" } } })).toMatchObject({
      firstName: "Ada",
      updatedAt: customer.updatedAt,
    });

    // An older version is not written; a statement that fails takes the whole transaction with it.
    await writer.transaction((execute) =>
      bulkRowWriter(execute, shop, new Date()).customer({ ...customer, firstName: "Stale", updatedAt: new Date("2025-01-15T00:00:00Z") }),
    );
    await expect(
      writer.transaction((execute) => {
        bulkRowWriter(execute, shop, new Date()).customer({ ...customer, firstName: "Newer", updatedAt: new Date("2025-03-01T00:00:00Z") });
        execute(`INSERT INTO "Shop" ("shop") VALUES (?1)`, [shop]);
      }),
    ).rejects.toThrow();
    expect(await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "501" } } })).toMatchObject({ firstName: "Ada" });
  });

  it("refuses an asynchronous write", async () => {
    await expect(new PrismaBulkWriter(prisma).transaction(async () => {})).rejects.toThrow(/synchronous/);
  });
});

describe("the bulk writer's guarded upserts (the backfill's writes)", () => {
  const shop = "bulk-upserts.myshopify.com";
  const customer = (id: number, firstName: string, updatedAt: string) => ({
    id: String(id),
    createdAt: new Date("2025-01-02T03:04:05Z"),
    updatedAt: new Date(updatedAt),
    state: "ENABLED",
    tags: "",
    emailMarketingState: null,
    firstName,
    lastName: null,
    email: null,
  });

  it("writes thousands of rows in one transaction, a customer repeated in it ending as its newest version, and the progress after them", async () => {
    const observedAt = new Date();
    await bulkWriterFor(prisma).transaction((execute) => {
      const write = bulkRowWriter(execute, shop, observedAt);
      for (let id = 1; id <= 2_500; id += 1) write.customer(customer(id, `Customer ${id}`, "2025-02-01T00:00:00Z"));
      // Newer, then older again: the guard keeps the newer, as one statement per row would.
      write.customer(customer(7, "Newer", "2025-03-01T00:00:00Z"));
      write.customer(customer(7, "Stale", "2025-02-15T00:00:00Z"));
      execute(INSERT_SHOP, [shop, "after the customers", sqliteDateTime(observedAt)]);
      execute(`UPDATE "Shop" SET "name" = "name" || ' (' || (SELECT COUNT(*) FROM "Customer" WHERE "shop" = ?1) || ')' WHERE "shop" = ?1`, [shop]);
    });
    expect(await prisma.customer.count({ where: { shop } })).toBe(2_500);
    expect(await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: "7" } } })).toMatchObject({
      firstName: "Newer",
      updatedAt: new Date("2025-03-01T00:00:00Z"),
      observedAt,
    });
    // SQL text runs after every row handed over before it.
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop } })).toMatchObject({ name: "after the customers (2500)" });
  });

  it("writes nothing of a transaction that fails, nor of one a guarded client's check refuses", async () => {
    const writer = bulkWriterFor(prisma);
    await expect(
      writer.transaction((execute) => {
        bulkRowWriter(execute, shop, new Date()).customer(customer(9_001, "Lost", "2025-02-01T00:00:00Z"));
        execute(INSERT_SHOP, [shop, "a duplicate key", sqliteDateTime(new Date())]);
      }),
    ).rejects.toThrow(/UNIQUE|duplicate key value violates unique constraint/);

    // A job's client whose lease was lost: the check fails before anything is written.
    const guarded = {} as PrismaClient;
    registerGuardedClient(guarded, prisma, () => Promise.reject(new Error("lease lost")));
    await expect(
      bulkWriterFor(guarded).transaction((execute) => bulkRowWriter(execute, shop, new Date()).customer(customer(9_002, "Refused", "2025-02-01T00:00:00Z"))),
    ).rejects.toThrow(/lease lost/);
    expect(await prisma.customer.count({ where: { shop, id: { in: ["9001", "9002"] } } })).toBe(0);
  });
});

describe.runIf(onPostgres)("the PostgreSQL bulk writer", () => {
  const shop = "pg-bulk-writer.myshopify.com";

  it("waits, without blocking the event loop, for the row a Prisma transaction holds, then writes after it", async () => {
    const writer = bulkWriterFor(prisma);
    await writer.transaction((execute) => execute(INSERT_SHOP, [shop, "first", sqliteDateTime(new Date())]));
    let releasePrisma!: () => void;
    const prismaHolds = new Promise<void>((resolve) => (releasePrisma = resolve));
    let prismaStarted!: () => void;
    const started = new Promise<void>((resolve) => (prismaStarted = resolve));
    const order: string[] = [];
    const prismaTransaction = prisma.$transaction(async (tx) => {
      await tx.shop.update({ where: { shop }, data: { name: "Prisma's" } });
      prismaStarted();
      await prismaHolds;
      order.push("prisma commits");
    });
    await started;
    const bulk = writer.transaction((execute) => execute(RENAME_SHOP, [shop, "the bulk writer's"])).then(() => order.push("bulk commits"));
    await new Promise((resolve) => setTimeout(resolve, 30));
    order.push("event loop ran");
    releasePrisma();
    await Promise.all([prismaTransaction, bulk]);
    expect(order).toEqual(["event loop ran", "prisma commits", "bulk commits"]);
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop } })).toMatchObject({ name: "the bulk writer's" });
  });

  it("hands statements over without running them: execute returns null, and a write that throws runs none", async () => {
    const writer = bulkWriterFor(prisma);
    const counts: (number | null)[] = [];
    await writer.transaction((execute) => counts.push(execute(RENAME_SHOP, [shop, "renamed"])));
    expect(counts).toEqual([null]);
    await expect(
      writer.transaction((execute) => {
        execute(RENAME_SHOP, [shop, "never"]);
        throw new Error("the write failed");
      }),
    ).rejects.toThrow(/the write failed/);
    expect(await prisma.shop.findUniqueOrThrow({ where: { shop } })).toMatchObject({ name: "renamed" });
  });
});
