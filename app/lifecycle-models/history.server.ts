import { Prisma, type PrismaClient } from "@prisma/client";
import { emptyReplay, replayHistory, weeklyPoints } from "~/lifecycle/history";
import { STAGES, type Stage } from "~/lifecycle/model";
import type { JobHandler } from "~/jobs/types";
import { jsonRows, queryJsonRows, type CellType, type JsonCell } from "~/sql.server";
import { customerPages, shopDay } from "./recompute.server";
import { effectiveSettings, lifecycleSettings, storedRhythm } from "./settings.server";

// A year of weekly points: enough for the dashboard's longest period.
const REPLAYED_WEEKS = 52;

const TRANSITION_INSERT = Prisma.raw(`INSERT INTO "DailyTransition" ("shop", "day", "fromStage", "toStage", "customers")`);
// shop, day, fromStage, toStage, customers
const TRANSITION_COLUMNS: CellType[] = ["text", "text", "text", "text", "integer"];
const TRANSITION_ADD = Prisma.raw(
  `ON CONFLICT ("shop", "day", "fromStage", "toStage") DO UPDATE SET "customers" = "DailyTransition"."customers" + excluded."customers"`,
);

export interface HistoryReplayResult {
  points: number;
  customers: number;
}

/**
 * Fills the year before the shop's first recompute with weekly stage counts and the moves between
 * them, replayed from its orders, so the funnel and trend are meaningful on the first day.
 *
 * The first recompute recorded everyone as arriving ("" → stage) on its day. That day's arrivals
 * are replaced by the moves from the last replayed week to the stage that recompute found, so the
 * replayed past and the live history join without counting anyone twice. Runs once per install.
 */
export async function replayShopHistory(db: PrismaClient, shop: string, { customersPerPage }: { customersPerPage?: number } = {}): Promise<HistoryReplayResult | null> {
  const settingsRow = await lifecycleSettings(db, shop);
  if (settingsRow.historyReplayedAt) return null;
  const [first] = await db.$queryRaw<{ at: string | null }[]>`SELECT MIN("at") AS "at" FROM "StageChange" WHERE "shop" = ${shop} AND "fromStage" IS NULL`;
  if (!first?.at) return null; // Nothing placed yet: the first recompute asks again.
  const firstAt = first.at;
  const firstRunAt = new Date(firstAt);

  const timeZone = (await db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }))?.ianaTimezone ?? null;
  // First pass: when the shop's first customer came (or first bought), where the weekly points start.
  let firstCustomerAt: Date | null = null;
  for await (const page of customerPages(db, shop, customersPerPage))
    for (const customer of page.customers) {
      const at = Math.min(customer.createdAt.getTime(), ...customer.orders.map((order) => order.at.getTime()));
      if (firstCustomerAt === null || at < firstCustomerAt.getTime()) firstCustomerAt = new Date(at);
    }
  const points = weeklyPoints(firstRunAt, REPLAYED_WEEKS, firstCustomerAt);
  // Second pass: each page replayed into the same history, against where the first recompute placed them.
  const stages = effectiveSettings(settingsRow, storedRhythm(settingsRow)).stages;
  const history = emptyReplay(points);
  for await (const page of customerPages(db, shop, customersPerPage)) {
    const placed = await queryJsonRows<[string, Stage]>(
      db,
      Prisma.sql`"customerId", "toStage"`,
      Prisma.sql`FROM "StageChange" WHERE "shop" = ${shop} AND "fromStage" IS NULL AND "at" = ${firstAt} AND "customerId" >= ${page.first} AND "customerId" <= ${page.last}`,
    );
    replayHistory(page.customers, stages, points, new Map(placed), history);
  }
  // Everyone the first recompute placed, customers erased since included.
  const placedPerStage = await db.$queryRaw<{ stage: string; customers: number | bigint }[]>`
    SELECT "toStage" AS "stage", COUNT(*) AS "customers" FROM "StageChange" WHERE "shop" = ${shop} AND "fromStage" IS NULL AND "at" = ${firstAt} GROUP BY "toStage"`;

  const days = points.map((at) => shopDay(at, timeZone));
  const firstDay = shopDay(firstRunAt, timeZone);
  const counts = history.points.flatMap((point, index) =>
    STAGES.map((stage) => ({ shop, day: days[index]!, stage, ...point.totals.get(stage)! })).filter((row) => row.customers > 0),
  );
  const transitions: JsonCell[][] = [
    ...history.points.flatMap((point, index) => [...point.transitions].map(([key, customers]) => [shop, days[index]!, ...key.split(">"), customers])),
    ...[...history.toCurrent].map(([key, customers]) => [shop, firstDay, ...key.split(">"), customers]),
  ];
  await db.$transaction([
    db.dailyStageCount.deleteMany({ where: { shop, day: { in: days } } }),
    db.dailyTransition.deleteMany({ where: { shop, day: { in: days } } }),
    db.dailyStageCount.createMany({ data: counts }),
    // The first recompute's arrivals become the real moves of customers who were already there
    // (customers who arrived later that day by webhook keep their arrival).
    ...placedPerStage.map(
      ({ stage, customers }) =>
        db.$executeRaw`UPDATE "DailyTransition" SET "customers" = "customers" - ${Number(customers)} WHERE "shop" = ${shop} AND "day" = ${firstDay} AND "fromStage" = '' AND "toStage" = ${stage}`,
    ),
    db.dailyTransition.deleteMany({ where: { shop, day: firstDay, customers: { lte: 0 } } }),
    ...(transitions.length ? [db.$executeRaw`${TRANSITION_INSERT} ${jsonRows(db, transitions, TRANSITION_COLUMNS)} ${TRANSITION_ADD}`] : []),
    db.lifecycleSettings.update({ where: { shop }, data: { historyReplayedAt: new Date() } }),
  ]);
  return { points: points.length, customers: placedPerStage.reduce((sum, row) => sum + Number(row.customers), 0) };
}

export const runHistoryJob: JobHandler = async ({ db }, run) => {
  await replayShopHistory(db, run.job.shop);
};
