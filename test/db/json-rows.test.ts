import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { Prisma } from "@prisma/client";
import { jsonRows, queryJsonRows, sqliteDateTime } from "~/sql.server";

const SHOP = "json-rows.myshopify.com";

describe("rows bound as one JSON parameter", () => {
  it("stores dates exactly as Prisma does, so rows written either way compare and read back alike", async () => {
    const at = new Date("2026-11-23T14:52:12.278Z");
    const byPrisma = await prisma.stageChange.create({
      data: { shop: SHOP, customerId: "1", toStage: "new", at, reasonKey: "r" },
    });
    await prisma.$executeRaw`INSERT INTO "StageChange" ("shop", "customerId", "fromStage", "toStage", "at", "reasonKey", "reasonValues")
      ${jsonRows(prisma, [[SHOP, "2", null, "loyal", sqliteDateTime(at), "r", '{"orders":3}']], ["text", "text", "text", "text", "timestamp", "text", "text"])}`;

    const texts = await prisma.$queryRaw<
      { customerId: string; at: string }[]
    >`SELECT "customerId", CAST("at" AS TEXT) AS "at" FROM "StageChange" WHERE "shop" = ${SHOP} ORDER BY "customerId"`;
    expect(texts.map((row) => row.at)).toEqual([texts[0]!.at, texts[0]!.at]);
    const byJson = await prisma.stageChange.findFirstOrThrow({
      where: { shop: SHOP, customerId: "2" },
    });
    expect(byJson).toMatchObject({
      at: byPrisma.at,
      fromStage: null,
      toStage: "loyal",
      reasonValues: '{"orders":3}',
    });
    expect(await prisma.stageChange.count({ where: { shop: SHOP, at: { gte: at } } })).toBe(2);
  });

  it("keeps numbers numbers and text text, whatever it looks like", async () => {
    await prisma.$executeRaw`INSERT INTO "DailyStageCount" ("shop", "day", "stage", "customers", "revenueMinor")
      ${jsonRows(
        prisma,
        [
          [SHOP, "2026-11-23", "007", 12, 1234.5],
          [SHOP, "2026-11-24", "null", 0, 0],
        ],
        ["text", "text", "text", "integer", "real"],
      )}`;
    const rows = await prisma.dailyStageCount.findMany({
      where: { shop: SHOP },
      orderBy: { day: "asc" },
    });
    expect(rows).toEqual([
      {
        shop: SHOP,
        day: "2026-11-23",
        stage: "007",
        customers: 12,
        revenueMinor: 1234.5,
      },
      {
        shop: SHOP,
        day: "2026-11-24",
        stage: "null",
        customers: 0,
        revenueMinor: 0,
      },
    ]);
  });

  it("reads many rows back as one JSON array, and none as an empty one", async () => {
    await prisma.dailyStageCount.createMany({
      data: [1, 2, 3].map((n) => ({
        shop: SHOP,
        day: `2026-12-0${n}`,
        stage: "new",
        customers: n,
      })),
    });
    const rows = await queryJsonRows<[string, number]>(
      prisma,
      Prisma.sql`"day", "customers"`,
      Prisma.sql`FROM "DailyStageCount" WHERE "shop" = ${SHOP} AND "day" >= '2026-12'`,
    );
    expect(rows.sort()).toEqual([
      ["2026-12-01", 1],
      ["2026-12-02", 2],
      ["2026-12-03", 3],
    ]);
    expect(await queryJsonRows(prisma, Prisma.sql`"day"`, Prisma.sql`FROM "DailyStageCount" WHERE "shop" = 'nobody'`)).toEqual([]);
  });
});
