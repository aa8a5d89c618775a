import { Prisma, type PrismaClient } from "@prisma/client";
import { replayHistory, weeklyPoints } from "~/lifecycle/history";
import { STAGES, type Stage } from "~/lifecycle/model";
import type { JobHandler } from "~/jobs/types";
import { jsonRows, queryJsonRows, type CellType, type JsonCell } from "~/sql.server";
import { loadShop, shopDay } from "./recompute.server";
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
export async function replayShopHistory(db: PrismaClient, shop: string): Promise<HistoryReplayResult | null> {
  const settingsRow = await lifecycleSettings(db, shop);
  if (settingsRow.historyReplayedAt) return null;
  const [first] = await db.$queryRaw<{ at: string | null }[]>`SELECT MIN("at") AS "at" FROM "StageChange" WHERE "shop" = ${shop} AND "fromStage" IS NULL`;
  if (!first?.at) return null; // Nothing placed yet: the first recompute asks again.
  const firstAt = first.at;
  const firstRunAt = new Date(firstAt);

  const [placed, { facts }, shopRow] = await Promise.all([
    queryJsonRows<[string, Stage]>(
      db,
      Prisma.sql`"customerId", "toStage"`,
      Prisma.sql`FROM "StageChange" WHERE "shop" = ${shop} AND "fromStage" IS NULL AND "at" = ${firstAt}`,
    ),
    loadShop(db, shop),
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }),
  ]);
  const timeZone = shopRow?.ianaTimezone ?? null;
  const firstCustomerAt = facts.reduce<Date | null>((earliest, fact) => {
    const times = [fact.createdAt.getTime(), ...fact.orders.map((order) => order.at.getTime())];
    const at = Math.min(...times);
    return earliest === null || at < earliest.getTime() ? new Date(at) : earliest;
  }, null);
  const points = weeklyPoints(firstRunAt, REPLAYED_WEEKS, firstCustomerAt);
  const history = replayHistory(facts, effectiveSettings(settingsRow, storedRhythm(settingsRow)).stages, points, new Map(placed));

  const days = points.map((at) => shopDay(at, timeZone));
  const firstDay = shopDay(firstRunAt, timeZone);
  const counts = history.points.flatMap((point, index) =>
    STAGES.map((stage) => ({ shop, day: days[index]!, stage, ...point.totals.get(stage)! })).filter((row) => row.customers > 0),
  );
  const transitions: JsonCell[][] = [
    ...history.points.flatMap((point, index) => [...point.transitions].map(([key, customers]) => [shop, days[index]!, ...key.split(">"), customers])),
    ...[...history.toCurrent].map(([key, customers]) => [shop, firstDay, ...key.split(">"), customers]),
  ];
  const placedPerStage = new Map<string, number>();
  for (const [, stage] of placed) placedPerStage.set(stage, (placedPerStage.get(stage) ?? 0) + 1);
  await db.$transaction([
    db.dailyStageCount.deleteMany({ where: { shop, day: { in: days } } }),
    db.dailyTransition.deleteMany({ where: { shop, day: { in: days } } }),
    db.dailyStageCount.createMany({ data: counts }),
    // The first recompute's arrivals become the real moves of customers who were already there
    // (customers who arrived later that day by webhook keep their arrival).
    ...[...placedPerStage].map(
      ([stage, customers]) =>
        db.$executeRaw`UPDATE "DailyTransition" SET "customers" = "customers" - ${customers} WHERE "shop" = ${shop} AND "day" = ${firstDay} AND "fromStage" = '' AND "toStage" = ${stage}`,
    ),
    db.dailyTransition.deleteMany({ where: { shop, day: firstDay, customers: { lte: 0 } } }),
    ...(transitions.length ? [db.$executeRaw`${TRANSITION_INSERT} ${jsonRows(db, transitions, TRANSITION_COLUMNS)} ${TRANSITION_ADD}`] : []),
    db.lifecycleSettings.update({ where: { shop }, data: { historyReplayedAt: new Date() } }),
  ]);
  return { points: points.length, customers: placed.length };
}

export const runHistoryJob: JobHandler = async ({ db }, run) => {
  await replayShopHistory(db, run.job.shop);
};
