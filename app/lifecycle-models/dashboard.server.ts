import type { PrismaClient } from "@prisma/client";
import { biggestDropOff, conversionSteps, stageDeltas, topMovements, type StageCounts, type TransitionCount } from "~/lifecycle/funnel";
import { DAY_MS, STAGES, type Stage } from "~/lifecycle/model";
import { VALUE_BANDS, type ValueBand } from "~/lifecycle/value-band";
import { backfillProgress } from "~/sync/backfill.server";
import { shopDay } from "./recompute.server";
import { shopProfile } from "~/shops/profile.server";

// Paid referrals: the friend's first order counted for the advocate.
const PAID_REFERRAL_STATUSES = ["rewarded", "approved"];

interface LifecycleGroupRow {
  stage: string;
  valueBand: string;
  recency: number | null;
  frequency: number | null;
  purchases: number | bigint;
  customers: number | bigint;
  revenueMinor: number | null;
}

/**
 * Everything the dashboard shows for one shop and period. Live numbers come from one pass over
 * the customers' lifecycle rows; movements over time from the daily counts and transitions.
 */
export async function dashboardData(db: PrismaClient, shop: string, periodDays: number, now = new Date()) {
  const { currencyCode, timeZone } = await shopProfile(db, shop);
  const today = shopDay(now, timeZone);
  const periodStart = new Date(now.getTime() - periodDays * DAY_MS);
  const startDay = shopDay(periodStart, timeZone);
  const weekAgoDay = shopDay(new Date(now.getTime() - 7 * DAY_MS), timeZone);
  const chartFromDay = shopDay(new Date(now.getTime() - 365 * DAY_MS), timeZone);

  const [groups, dailyCounts, settings, backfill, loyalty, referrals] = await Promise.all([
    // One scan of the shop's lifecycle rows gives stages, bands, the R×F grid and repeat buyers. Grouped
    // by plain columns in the order of their covering index, SQLite aggregates as it reads, with no
    // sort; buyers and repeat buyers are told apart below.
    db.$queryRaw<LifecycleGroupRow[]>`
      SELECT "stage", "valueBand", "recency", "frequency", "purchases", COUNT(*) AS "customers", SUM("trailingYearRevenueMinor") AS "revenueMinor"
      FROM "CustomerLifecycle" WHERE "shop" = ${shop}
      GROUP BY "stage", "valueBand", "recency", "frequency", "purchases"`,
    db.dailyStageCount.findMany({ where: { shop, day: { gte: chartFromDay } }, select: { day: true, stage: true, customers: true }, orderBy: { day: "asc" } }),
    db.lifecycleSettings.findUnique({ where: { shop }, select: { lastFullRunAt: true, historyReplayedAt: true } }),
    db.backfill.findFirst({ where: { shop }, orderBy: { id: "desc" } }),
    db.loyaltyAccount.aggregate({ where: { shop }, _sum: { available: true, pending: true } }),
    db.referral.count({ where: { shop, status: { in: PAID_REFERRAL_STATUSES }, createdAt: { gte: periodStart } } }),
  ]);

  const stages = new Map<Stage, { customers: number; revenueMinor: number }>(STAGES.map((stage) => [stage, { customers: 0, revenueMinor: 0 }]));
  const bands = new Map<ValueBand, { customers: number; revenueMinor: number }>(VALUE_BANDS.map((band) => [band, { customers: 0, revenueMinor: 0 }]));
  const grid = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => 0));
  let buyers = 0;
  let repeatBuyers = 0;
  for (const row of groups) {
    const customers = Number(row.customers);
    const revenueMinor = Number(row.revenueMinor ?? 0);
    const stage = stages.get(row.stage as Stage);
    if (stage) {
      stage.customers += customers;
      stage.revenueMinor += revenueMinor;
    }
    const band = bands.get(row.valueBand as ValueBand);
    if (band) {
      band.customers += customers;
      band.revenueMinor += revenueMinor;
    }
    if (row.recency !== null && row.frequency !== null) grid[Number(row.frequency) - 1]![Number(row.recency) - 1]! += customers;
    if (Number(row.purchases) >= 1) buyers += customers;
    if (Number(row.purchases) >= 2) repeatBuyers += customers;
  }
  const liveCounts: Partial<Record<Stage, number>> = Object.fromEntries([...stages].map(([stage, totals]) => [stage, totals.customers]));
  const totalCustomers = [...stages.values()].reduce((sum, totals) => sum + totals.customers, 0);

  // The history: day → stage counts, today's replaced by the live counts.
  const byDay = new Map<string, Partial<Record<Stage, number>>>();
  for (const row of dailyCounts) {
    const counts = byDay.get(row.day) ?? {};
    counts[row.stage as Stage] = row.customers;
    byDay.set(row.day, counts);
  }
  if (totalCustomers > 0) byDay.set(today, liveCounts);
  const days = [...byDay.keys()].sort();

  // Conversion over the period: counts at its start (or as early as history goes) plus every move since.
  const periodBase = baseline(days, startDay);
  const weekBase = baseline(days, weekAgoDay);
  const [periodTransitions, weekTransitions] = await Promise.all([transitionsAfter(db, shop, periodBase), transitionsAfter(db, shop, weekBase)]);
  const steps = conversionSteps(periodBase ? byDay.get(periodBase) ?? {} : {}, periodTransitions);
  const firstBuyers = periodTransitions
    .filter((row) => (row.fromStage === "" || row.fromStage === "prospect") && row.toStage !== "prospect")
    .reduce((sum, row) => sum + row.customers, 0);

  return {
    today,
    currencyCode,
    computedAt: settings?.lastFullRunAt?.toISOString() ?? null,
    historyReplayed: settings?.historyReplayedAt != null,
    backfill: backfill ? backfillProgress(backfill, now) : null,
    totalCustomers,
    stages: [...stages].map(([stage, totals]) => ({ stage, ...totals })),
    bands: [...bands].map(([band, totals]) => ({ band, ...totals })),
    grid,
    period: {
      days: periodDays,
      // When history begins later than the period (a young shop, or before the replay ran).
      from: periodBase && periodBase > startDay ? periodBase : periodBase ?? today,
      startsLate: !periodBase || periodBase > startDay,
      steps,
      dropOff: biggestDropOff(steps)?.key ?? null,
    },
    rates: {
      buyers,
      repeatBuyers,
      retention: buyers > 0 ? repeatBuyers / buyers : null,
      firstBuyers,
      referredFirstOrders: referrals,
      referral: firstBuyers > 0 ? referrals / firstBuyers : null,
    },
    points: { available: loyalty._sum.available ?? 0, pending: loyalty._sum.pending ?? 0 },
    week: {
      from: weekBase,
      deltas: weekBase ? stageDeltas(byDay.get(weekBase) ?? {}, liveCounts) : [],
      movements: weekBase ? topMovements(weekTransitions, 5) : [],
    },
    trend: days.map((day) => ({ day, counts: byDay.get(day)! as StageCounts })),
  };
}

export type DashboardData = Awaited<ReturnType<typeof dashboardData>>;

/** The last day with counts on or before `day`; else the first day with counts at all. */
function baseline(days: readonly string[], day: string): string | null {
  let found: string | null = null;
  for (const candidate of days) {
    if (candidate <= day) found = candidate;
    else break;
  }
  return found ?? days[0] ?? null;
}

async function transitionsAfter(db: PrismaClient, shop: string, day: string | null): Promise<TransitionCount[]> {
  if (day === null) return [];
  const rows = await db.dailyTransition.groupBy({ by: ["fromStage", "toStage"], where: { shop, day: { gt: day } }, _sum: { customers: true } });
  return rows.map((row) => ({ fromStage: row.fromStage, toStage: row.toStage, customers: row._sum.customers ?? 0 }));
}
