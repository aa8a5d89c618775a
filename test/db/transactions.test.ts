import { describe, expect, it } from "vitest";
import prisma from "~/db.server";

const SHOP = "transactions.myshopify.com";

describe("SQLite transactions on the one connection", () => {
  it("commits, rolls back a failed transaction entirely, and keeps working afterwards", async () => {
    await prisma.$transaction(async (tx) => {
      await tx.shop.create({ data: { shop: SHOP } });
    });
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.shop.update({ where: { shop: SHOP }, data: { name: "half-applied" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).name).toBeNull();

    await prisma.$transaction([prisma.shop.update({ where: { shop: SHOP }, data: { name: "batched" } })]);
    expect((await prisma.shop.findUniqueOrThrow({ where: { shop: SHOP } })).name).toBe("batched");
  });

  it("runs concurrent transactions one after another, each whole", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        prisma.$transaction(async (tx) => {
          await tx.job.create({ data: { shop: SHOP, kind: "k", payload: String(index) } });
          await tx.job.create({ data: { shop: SHOP, kind: "k", payload: String(index) } });
        }),
      ),
    );
    expect(await prisma.job.count({ where: { shop: SHOP } })).toBe(40);
  });

  it("does not grow memory with every transaction (libsql kept each transaction's connection cache)", async () => {
    for (let index = 0; index < 50; index += 1) await prisma.$transaction(async (tx) => void (await tx.shop.findMany({ take: 1 })));
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    for (let index = 0; index < 600; index += 1) await prisma.$transaction(async (tx) => void (await tx.shop.findMany({ take: 1 })));
    globalThis.gc?.();
    // 600 leaked connections cost well over 100 MB; allow ordinary noise.
    expect(process.memoryUsage().rss - before).toBeLessThan(60 * 1024 * 1024);
  });
});
