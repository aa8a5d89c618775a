import { Prisma, type CustomerLifecycle as StoredLifecycle, type PrismaClient } from "@prisma/client";
import { evaluateCustomer, evaluateShop, type CustomerLifecycle, type ShopCutoffs } from "~/lifecycle/evaluate";
import type { CustomerFacts, OrderFacts } from "~/lifecycle/model";
import { shopRhythm } from "~/lifecycle/rhythm";
import { MAX_PARAMETERS, multiRowSql } from "~/sql.server";
import { effectiveSettings, lifecycleSettings, storedRhythm } from "./settings.server";

const LIFECYCLE_COLUMNS = 16;
const LIFECYCLE_INSERT = `INSERT INTO "CustomerLifecycle" ("shop", "customerId", "stage", "reasonKey", "reasonValues", "stageSince", "recency", "frequency", "monetary", "rfmGroup", "valueBand", "purchases", "netRevenueMinor", "trailingYearRevenueMinor", "lastPurchaseAt", "computedAt") VALUES`;
const LIFECYCLE_UPSERT = `ON CONFLICT ("shop", "customerId") DO UPDATE SET
  "stage" = excluded."stage", "reasonKey" = excluded."reasonKey", "reasonValues" = excluded."reasonValues", "stageSince" = excluded."stageSince",
  "recency" = excluded."recency", "frequency" = excluded."frequency", "monetary" = excluded."monetary", "rfmGroup" = excluded."rfmGroup",
  "valueBand" = excluded."valueBand", "purchases" = excluded."purchases", "netRevenueMinor" = excluded."netRevenueMinor",
  "trailingYearRevenueMinor" = excluded."trailingYearRevenueMinor", "lastPurchaseAt" = excluded."lastPurchaseAt", "computedAt" = excluded."computedAt"`;
const HISTORY_COLUMNS = 7;
const HISTORY_INSERT = `INSERT INTO "StageChange" ("shop", "customerId", "fromStage", "toStage", "at", "reasonKey", "reasonValues") VALUES`;
const TRANSITION_INSERT = `INSERT INTO "DailyTransition" ("shop", "day", "fromStage", "toStage", "customers") VALUES`;
const TRANSITION_ADD = `ON CONFLICT ("shop", "day", "fromStage", "toStage") DO UPDATE SET "customers" = "DailyTransition"."customers" + excluded."customers"`;
const ROWS_PER_STATEMENT = Math.floor(MAX_PARAMETERS / LIFECYCLE_COLUMNS);
const ROWS_PER_TRANSACTION = 5 * ROWS_PER_STATEMENT;

interface OrderRow {
  id: string;
  customerId: string;
  processedAt: string | Date;
  totalMinor: number;
  refundedMinor: number | null;
  financialStatus: string;
  cancelledAt: string | Date | null;
  test: number | boolean;
}

function orderFacts(row: OrderRow): OrderFacts {
  return {
    id: row.id,
    at: new Date(row.processedAt),
    totalMinor: Number(row.totalMinor),
    refundedMinor: Number(row.refundedMinor ?? 0),
    financialStatus: row.financialStatus,
    cancelled: row.cancelledAt !== null,
    test: row.test === true || row.test === 1,
  };
}

/** Every order of the shop's customers (or of one), with what was refunded of each. */
async function loadOrders(db: PrismaClient, shop: string, customerId?: string): Promise<OrderRow[]> {
  const oneCustomer = customerId === undefined ? Prisma.sql`"customerId" IS NOT NULL` : Prisma.sql`"customerId" = ${customerId}`;
  return db.$queryRaw<OrderRow[]>`
    SELECT o."id", o."customerId", o."processedAt", o."totalMinor", o."financialStatus", o."cancelledAt", o."test", r."refundedMinor"
    FROM "Order" o
    LEFT JOIN (SELECT "orderId", SUM("amountMinor") AS "refundedMinor" FROM "Refund" WHERE "shop" = ${shop} GROUP BY "orderId") r ON r."orderId" = o."id"
    WHERE o."shop" = ${shop} AND ${oneCustomer}`;
}

/** The calendar day of `at` in the shop's time zone ("2026-11-23"), for daily counts. */
export function shopDay(at: Date, timeZone: string | null): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timeZone ?? "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Did anything the merchant sees or Shopify is told change? (The reason's day counts move daily; they are shown live.) */
function changed(before: StoredLifecycle | undefined, after: CustomerLifecycle): boolean {
  if (!before) return true;
  return (
    before.stage !== after.stage ||
    before.rfmGroup !== after.rfmGroup ||
    before.valueBand !== after.valueBand ||
    before.recency !== after.recency ||
    before.frequency !== after.frequency ||
    before.monetary !== after.monetary ||
    before.purchases !== after.purchases ||
    before.netRevenueMinor !== after.netRevenueMinor ||
    before.trailingYearRevenueMinor !== after.trailingYearRevenueMinor ||
    (before.lastPurchaseAt?.getTime() ?? null) !== (after.lastPurchaseAt?.getTime() ?? null)
  );
}

export interface RecomputeResult {
  customers: number;
  changed: number;
  stageChanges: number;
}

/**
 * Recomputes every customer of the shop (daily, as stages drift with time; after a backfill; after
 * a settings change), writing only rows that changed, one history row per stage change, today's
 * per-stage counts and the day's transitions.
 */
export async function recomputeShop(db: PrismaClient, shop: string, now: Date): Promise<RecomputeResult> {
  const settingsRow = await lifecycleSettings(db, shop);
  const [customers, orders, stored, shopRow] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Customer" WHERE "shop" = ${shop}`,
    loadOrders(db, shop),
    db.customerLifecycle.findMany({ where: { shop } }),
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }),
  ]);
  const ordersByCustomer = new Map<string, OrderFacts[]>();
  for (const row of orders) {
    const list = ordersByCustomer.get(row.customerId);
    if (list) list.push(orderFacts(row));
    else ordersByCustomer.set(row.customerId, [orderFacts(row)]);
  }
  const facts: CustomerFacts[] = customers.map((customer) => ({
    id: customer.id,
    orders: ordersByCustomer.get(customer.id) ?? [],
    paidReferrals: 0,
    markedAdvocate: false,
  }));

  const rhythm = shopRhythm(facts.map((fact) => fact.orders));
  const evaluation = evaluateShop(facts, effectiveSettings(settingsRow, rhythm), now);
  const before = new Map(stored.map((row) => [row.customerId, row]));
  const updates = evaluation.customers.filter((result) => changed(before.get(result.id), result));
  const day = shopDay(now, shopRow?.ianaTimezone ?? null);

  const stageChanges = await writeResults(db, shop, updates, before, now, day);
  const present = new Set(customers.map((customer) => customer.id));
  const gone = stored.filter((row) => !present.has(row.customerId)).map((row) => row.customerId);

  await db.$transaction([
    ...(gone.length ? [db.customerLifecycle.deleteMany({ where: { shop, customerId: { in: gone } } })] : []),
    db.dailyStageCount.deleteMany({ where: { shop, day } }),
    db.dailyStageCount.createMany({ data: stageCounts(shop, day, evaluation.customers) }),
    db.lifecycleSettings.update({
      where: { shop },
      data: { rhythm: JSON.stringify(rhythm), rfmCutoffs: JSON.stringify(evaluation.cutoffs), lastFullRunAt: now },
    }),
  ]);
  return { customers: evaluation.customers.length, changed: updates.length, stageChanges };
}

/**
 * Recomputes one customer after an order, refund or customer change: stage exactly, scores against
 * the last full run. Returns whether anything changed.
 */
export async function recomputeCustomer(db: PrismaClient, shop: string, customerId: string, now: Date): Promise<boolean> {
  const settingsRow = await lifecycleSettings(db, shop);
  const [customer, orders, stored, shopRow] = await Promise.all([
    db.customer.findUnique({ where: { shop_id: { shop, id: customerId } }, select: { id: true } }),
    loadOrders(db, shop, customerId),
    db.customerLifecycle.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }),
  ]);
  if (!customer) {
    if (stored) await db.customerLifecycle.delete({ where: { shop_customerId: { shop, customerId } } });
    return stored !== null;
  }
  const cutoffs: ShopCutoffs = settingsRow.rfmCutoffs
    ? (JSON.parse(settingsRow.rfmCutoffs) as ShopCutoffs)
    : { rfm: { recency: [null, null, null, null, null], frequency: [null, null, null, null, null], monetary: [null, null, null, null, null] }, valueBands: { large: null, medium: null } };
  const facts: CustomerFacts = { id: customerId, orders: orders.map(orderFacts), paidReferrals: 0, markedAdvocate: false };
  const result = evaluateCustomer(facts, effectiveSettings(settingsRow, storedRhythm(settingsRow)), cutoffs, now);
  if (!changed(stored ?? undefined, result)) return false;
  await writeResults(db, shop, [result], new Map(stored ? [[customerId, stored]] : []), now, shopDay(now, shopRow?.ianaTimezone ?? null));
  return true;
}

function stageCounts(shop: string, day: string, results: readonly CustomerLifecycle[]) {
  const byStage = new Map<string, { customers: number; revenueMinor: number }>();
  for (const result of results) {
    const entry = byStage.get(result.stage) ?? { customers: 0, revenueMinor: 0 };
    entry.customers += 1;
    entry.revenueMinor += result.trailingYearRevenueMinor;
    byStage.set(result.stage, entry);
  }
  return [...byStage].map(([stage, entry]) => ({ shop, day, stage, ...entry }));
}

/** Upserts the changed customers, records their stage changes and counts the day's transitions; returns how many stages changed. */
async function writeResults(
  db: PrismaClient,
  shop: string,
  results: readonly CustomerLifecycle[],
  before: ReadonlyMap<string, StoredLifecycle>,
  now: Date,
  day: string,
): Promise<number> {
  let stageChanges = 0;
  // Each transaction holds a batch's rows, their history and their share of the day's transitions,
  // so a recompute stopped half-way and run again counts every transition exactly once.
  for (let start = 0; start < results.length; start += ROWS_PER_TRANSACTION) {
    const statements: Prisma.Sql[] = [];
    const transitions = new Map<string, number>();
    for (let offset = start; offset < Math.min(results.length, start + ROWS_PER_TRANSACTION); offset += ROWS_PER_STATEMENT) {
      const values: unknown[] = [];
      const history: unknown[] = [];
      for (const result of results.slice(offset, Math.min(offset + ROWS_PER_STATEMENT, start + ROWS_PER_TRANSACTION))) {
        const previous = before.get(result.id);
        const moved = previous?.stage !== result.stage;
        if (moved) {
          history.push(shop, result.id, previous?.stage ?? null, result.stage, now, result.reason.key, JSON.stringify(result.reason.values));
          const key = `${previous?.stage ?? ""}>${result.stage}`;
          transitions.set(key, (transitions.get(key) ?? 0) + 1);
        }
        const since = moved || !previous ? now : previous.stageSince;
        const reasonKey = moved || !previous ? result.reason.key : previous.reasonKey;
        const reasonValues = moved || !previous ? JSON.stringify(result.reason.values) : previous.reasonValues;
        values.push(shop, result.id, result.stage, reasonKey, reasonValues, since, result.recency, result.frequency, result.monetary, result.rfmGroup, result.valueBand, result.purchases, result.netRevenueMinor, result.trailingYearRevenueMinor, result.lastPurchaseAt, now);
      }
      statements.push(multiRowSql(LIFECYCLE_INSERT, LIFECYCLE_COLUMNS, values, LIFECYCLE_UPSERT));
      if (history.length) statements.push(multiRowSql(HISTORY_INSERT, HISTORY_COLUMNS, history));
      stageChanges += history.length / HISTORY_COLUMNS;
    }
    if (transitions.size) {
      const counts = [...transitions].flatMap(([key, customers]) => [shop, day, ...key.split(">"), customers]);
      statements.push(multiRowSql(TRANSITION_INSERT, 5, counts, TRANSITION_ADD));
    }
    await db.$transaction(statements.map((statement) => db.$executeRaw(statement)));
  }
  return stageChanges;
}

/** customers/redact and customers/delete: the customer's lifecycle and its history go with them. */
export async function eraseCustomerLifecycle(db: PrismaClient, shop: string, customerId: string) {
  await db.$transaction([
    db.customerLifecycle.deleteMany({ where: { shop, customerId } }),
    db.stageChange.deleteMany({ where: { shop, customerId } }),
  ]);
}
