import { Prisma, type CustomerLifecycle as StoredLifecycleRow, type PrismaClient } from "@prisma/client";
import { evaluateCustomer, ShopMeasures, type CustomerLifecycle, type ShopCutoffs } from "~/lifecycle/evaluate";
import type { CustomerFacts, OrderFacts } from "~/lifecycle/model";
import { dialectOf, jsonArrayFrom, jsonRows, markDueStatement, queryJsonRows, refreshPlannerStatistics, sqliteDateTime, type CellType, type JsonCell } from "~/sql.server";
import { paidReferralCounts } from "~/loyalty-models/referrals.server";
import { effectiveSettings, lifecycleSettings, storedRhythm } from "./settings.server";

const LIFECYCLE_UPSERT = Prisma.raw(
  `INSERT INTO "CustomerLifecycle" ("shop", "customerId", "stage", "reasonKey", "reasonValues", "stageSince", "recency", "frequency", "monetary", "rfmGroup", "valueBand", "purchases", "netRevenueMinor", "trailingYearRevenueMinor", "lastPurchaseAt", "computedAt")`,
);
// shop, customerId, stage, reasonKey, reasonValues, stageSince, recency, frequency, monetary, rfmGroup, valueBand, purchases, netRevenueMinor, trailingYearRevenueMinor, lastPurchaseAt, computedAt
const LIFECYCLE_COLUMNS: CellType[] = ["text", "text", "text", "text", "text", "timestamp", "integer", "integer", "integer", "text", "text", "integer", "real", "real", "timestamp", "timestamp"];
// A changed row is due for write-back (a new one is by default): see CustomerLifecycle.writeBackDue.
const LIFECYCLE_ON_CONFLICT = Prisma.raw(`ON CONFLICT ("shop", "customerId") DO UPDATE SET
  "stage" = excluded."stage", "reasonKey" = excluded."reasonKey", "reasonValues" = excluded."reasonValues", "stageSince" = excluded."stageSince",
  "recency" = excluded."recency", "frequency" = excluded."frequency", "monetary" = excluded."monetary", "rfmGroup" = excluded."rfmGroup",
  "valueBand" = excluded."valueBand", "purchases" = excluded."purchases", "netRevenueMinor" = excluded."netRevenueMinor",
  "trailingYearRevenueMinor" = excluded."trailingYearRevenueMinor", "lastPurchaseAt" = excluded."lastPurchaseAt", "computedAt" = excluded."computedAt",
  "writeBackDue" = abs("CustomerLifecycle"."writeBackDue") + 1`);
const HISTORY_INSERT = Prisma.raw(`INSERT INTO "StageChange" ("shop", "customerId", "fromStage", "toStage", "at", "reasonKey", "reasonValues")`);
// shop, customerId, fromStage, toStage, at, reasonKey, reasonValues
const HISTORY_COLUMNS: CellType[] = ["text", "text", "text", "text", "timestamp", "text", "text"];
/**
 * A recompute reads customers, then writes what it found about them: one deleted or redacted in
 * between (the row gone, a tombstone in its place) must not come back through that write. Every row
 * written about a customer (cells 0 and 1: shop and customer id) is written only while they exist.
 */
const CUSTOMER_STILL_HELD = Prisma.raw(`AND EXISTS (SELECT 1 FROM "Customer" c WHERE c."shop" = value->>0 AND c."id" = value->>1)`);
// One row per customer who moved ([shop, customer id, day, from, to]), counted by SQLite once the guard has passed them.
const transitionsAdded = (db: PrismaClient, rows: JsonCell[][]) => Prisma.sql`
  INSERT INTO "DailyTransition" ("shop", "day", "fromStage", "toStage", "customers")
  SELECT value->>0, value->>2, value->>3, value->>4, COUNT(*) FROM ${jsonArrayFrom(db, rows)} WHERE true ${CUSTOMER_STILL_HELD}
  GROUP BY value->>0, value->>2, value->>3, value->>4
  ON CONFLICT ("shop", "day", "fromStage", "toStage") DO UPDATE SET "customers" = "DailyTransition"."customers" + excluded."customers"`;
// Rows per transaction: a recompute holds the write lock briefly and lets other work in between.
const ROWS_PER_TRANSACTION = 5_000;
// Customers read per query: the event loop (webhooks, the admin) gets a turn between pages, and
// what a page holds bounds how far the JS heap grows (300–360 MB peak RSS at 100,000 customers and
// at 300,000 on SQLite; 10,000 a page needed about 400).
const CUSTOMERS_PER_PAGE = 2_000;

/** What a stored lifecycle row is compared against and what a new row keeps of it (not what write-back keeps on it). */
type StoredLifecycle = Omit<
  StoredLifecycleRow,
  "shop" | "computedAt" | "writtenMetafields" | "writtenTags" | "pendingTags" | "tagsUpdatedAt" | "writeBackDue" | "writeBackRefused" | "writeBackRefusedAt"
>;

// [id, customerId, processedAt, totalMinor, financialStatus, cancelledAt, test, refundedMinor]
// `test` is 0/1 on SQLite, true/false on PostgreSQL.
type OrderRow = [string, string, string, number, string, string | null, number | boolean, number | null];
const ORDER_COLUMNS = Prisma.sql`o."id", o."customerId", o."processedAt", o."totalMinor", o."financialStatus", o."cancelledAt", o."test",
  (SELECT SUM(r."amountMinor") FROM "Refund" r WHERE r."shop" = o."shop" AND r."orderId" = o."id")`;

function orderFacts([id, , processedAt, totalMinor, financialStatus, cancelledAt, test, refundedMinor]: OrderRow): OrderFacts {
  return {
    id,
    at: new Date(processedAt),
    totalMinor,
    refundedMinor: refundedMinor ?? 0,
    financialStatus,
    cancelled: cancelledAt !== null,
    test: Boolean(test),
  };
}

// [customerId, stage, rfmGroup, valueBand, recency, frequency, monetary, purchases, netRevenueMinor, trailingYearRevenueMinor, lastPurchaseAt, stageSince, reasonKey, reasonValues]
type StoredRow = [string, string, string, string, number | null, number | null, number | null, number, number, number, string | null, string, string, string];
const STORED_COLUMNS = Prisma.sql`"customerId", "stage", "rfmGroup", "valueBand", "recency", "frequency", "monetary", "purchases",
  "netRevenueMinor", "trailingYearRevenueMinor", "lastPurchaseAt", "stageSince", "reasonKey", "reasonValues"`;

function storedLifecycle(row: StoredRow): StoredLifecycle {
  const [
    customerId,
    stage,
    rfmGroup,
    valueBand,
    recency,
    frequency,
    monetary,
    purchases,
    netRevenueMinor,
    trailingYearRevenueMinor,
    lastPurchaseAt,
    stageSince,
    reasonKey,
    reasonValues,
  ] = row;
  return {
    customerId,
    stage,
    rfmGroup,
    valueBand,
    recency,
    frequency,
    monetary,
    purchases,
    netRevenueMinor,
    trailingYearRevenueMinor,
    lastPurchaseAt: lastPurchaseAt === null ? null : new Date(lastPurchaseAt),
    stageSince: new Date(stageSince),
    reasonKey,
    reasonValues,
  };
}

/** A customer with their orders (refunds summed in), as a page holds them. */
interface ShopCustomer {
  id: string;
  createdAt: Date;
  orders: OrderFacts[];
}

interface ShopPage {
  customers: ShopCustomer[];
  /** The first and last customer id of the page: every order of theirs lies between. */
  first: string;
  last: string;
}

/**
 * The shop's customers with their orders, a page at a time in id order, so that memory holds one
 * page whatever the shop's size. A page takes whole customers: all of a customer's orders are read
 * by the id range of their page.
 */
export async function* customerPages(db: PrismaClient, shop: string, customersPerPage: number = CUSTOMERS_PER_PAGE): AsyncGenerator<ShopPage> {
  let after = "";
  for (;;) {
    const page = await db.$queryRaw<
      { id: string; createdAt: Date | string }[]
    >`SELECT "id", "createdAt" FROM "Customer" WHERE "shop" = ${shop} AND "id" > ${after} ORDER BY "id" LIMIT ${customersPerPage}`;
    if (page.length === 0) return;
    const first = page[0]!.id;
    const last = page[page.length - 1]!.id;
    const orders = await queryJsonRows<OrderRow>(
      db,
      ORDER_COLUMNS,
      Prisma.sql`FROM "Order" o WHERE o."shop" = ${shop} AND o."customerId" >= ${first} AND o."customerId" <= ${last}`,
    );
    const ordersByCustomer = new Map<string, OrderFacts[]>();
    for (const row of orders) {
      const list = ordersByCustomer.get(row[1]);
      if (list) list.push(orderFacts(row));
      else ordersByCustomer.set(row[1], [orderFacts(row)]);
    }
    yield { customers: page.map(({ id, createdAt }) => ({ id, createdAt: new Date(createdAt), orders: ordersByCustomer.get(id) ?? [] })), first, last };
    after = last;
    await yieldToEventLoop();
  }
}

/** What a page's customers are evaluated with besides their orders: advocate marks, paid referrals, and their stored lifecycle. */
async function lifecyclePage(db: PrismaClient, shop: string, { customers, first, last }: ShopPage) {
  const [marks, referrals, lifecycles] = await Promise.all([
    db.advocateMark.findMany({ where: { shop, customerId: { gte: first, lte: last } }, select: { customerId: true } }),
    paidReferralCounts(db, shop, { from: first, to: last }),
    queryJsonRows<StoredRow>(db, STORED_COLUMNS, Prisma.sql`FROM "CustomerLifecycle" WHERE "shop" = ${shop} AND "customerId" >= ${first} AND "customerId" <= ${last}`),
  ]);
  const marked = new Set(marks.map((mark) => mark.customerId));
  const facts: CustomerFacts[] = customers.map(({ id, orders }) => ({ id, orders, paidReferrals: referrals.get(id) ?? 0, markedAdvocate: marked.has(id) }));
  return { facts, stored: new Map(lifecycles.map((row) => [row[0], storedLifecycle(row)])) };
}

/** One customer's orders, refunds summed in. */
async function loadCustomerOrders(db: PrismaClient, shop: string, customerId: string): Promise<OrderFacts[]> {
  const rows = await queryJsonRows<OrderRow>(db, ORDER_COLUMNS, Prisma.sql`FROM "Order" o WHERE o."shop" = ${shop} AND o."customerId" = ${customerId}`);
  return rows.map(orderFacts);
}

// SQLite runs on the event loop: long work lets webhooks and page loads in between batches.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The calendar day of `at` in the shop's time zone ("2026-11-23"), for daily counts. */
export function shopDay(at: Date, timeZone: string | null): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timeZone ?? "UTC",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
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
 * per-stage counts and the day's transitions. Memory holds a page of customers and a few numbers
 * per buyer, whatever the shop's size.
 */
export async function recomputeShop(db: PrismaClient, shop: string, now: Date, { customersPerPage = CUSTOMERS_PER_PAGE } = {}): Promise<RecomputeResult> {
  const settingsRow = await lifecycleSettings(db, shop);
  const shopRow = await db.shop.findUnique({
    where: { shop },
    select: { ianaTimezone: true },
  });
  // First pass: the shop-wide rhythm, score and band cut-offs, from a few numbers per customer.
  const measures = new ShopMeasures(now);
  for await (const page of customerPages(db, shop, customersPerPage)) for (const customer of page.customers) measures.add(customer);
  const rhythm = measures.rhythm();
  const settings = effectiveSettings(settingsRow, rhythm);
  const cutoffs = measures.cutoffs(settings.valueBands);
  const day = shopDay(now, shopRow?.ianaTimezone ?? null);

  // Second pass: each page evaluated against them, which places every customer exactly where
  // evaluateShop would (one whose orders changed between the passes is placed as between runs).
  const result: RecomputeResult = { customers: 0, changed: 0, stageChanges: 0 };
  for await (const page of customerPages(db, shop, customersPerPage)) {
    const { facts, stored } = await lifecyclePage(db, shop, page);
    const updates = facts.map((fact) => evaluateCustomer(fact, settings, cutoffs, now)).filter((lifecycle) => changed(stored.get(lifecycle.id), lifecycle));
    result.customers += facts.length;
    result.changed += updates.length;
    result.stageChanges += await writeResults(db, shop, updates, stored, now, day);
  }
  await db.$transaction([
    // Customers deleted or redacted since: their lifecycle goes with them.
    db.$executeRaw(lifecyclesOfGoneCustomersDeleted(db, shop)),
    db.dailyStageCount.deleteMany({ where: { shop, day } }),
    // Counted from the rows as they now are, so a customer erased since the read is not counted.
    db.$executeRaw`INSERT INTO "DailyStageCount" ("shop", "day", "stage", "customers", "revenueMinor")
      SELECT "shop", ${day}, "stage", COUNT(*), SUM("trailingYearRevenueMinor") FROM "CustomerLifecycle" WHERE "shop" = ${shop} GROUP BY "shop", "stage"`,
    db.lifecycleSettings.update({
      where: { shop },
      data: {
        rhythm: JSON.stringify(rhythm),
        rfmCutoffs: JSON.stringify(cutoffs),
        lastFullRunAt: now,
      },
    }),
  ]);
  // A shop's first recompute writes every customer's row: the merchant's next page must not be planned for an empty table.
  await refreshPlannerStatistics(db, { CustomerLifecycle: result.changed, StageChange: result.stageChanges });
  return result;
}

/**
 * Deletes the lifecycle rows of customers no longer in the shop. SQLite keeps NOT IN (faster there
 * than the anti-join); PostgreSQL gets NOT EXISTS, as it runs NOT IN (subquery) row by row once the
 * shop's ids outgrow work_mem (hours at 1,000,000 customers).
 */
function lifecyclesOfGoneCustomersDeleted(db: PrismaClient, shop: string): Prisma.Sql {
  return dialectOf(db) === "postgresql"
    ? Prisma.sql`DELETE FROM "CustomerLifecycle" WHERE "shop" = ${shop}
        AND NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shop" = "CustomerLifecycle"."shop" AND c."id" = "CustomerLifecycle"."customerId")`
    : Prisma.sql`DELETE FROM "CustomerLifecycle" WHERE "shop" = ${shop} AND "customerId" NOT IN (SELECT "id" FROM "Customer" WHERE "shop" = ${shop})`;
}

/**
 * Recomputes one customer after an order, refund or customer change: stage exactly, scores against
 * the last full run. Returns whether anything changed.
 */
export async function recomputeCustomer(db: PrismaClient, shop: string, customerId: string, now: Date): Promise<boolean> {
  const settingsRow = await lifecycleSettings(db, shop);
  const [customer, orders, stored, shopRow, mark] = await Promise.all([
    db.customer.findUnique({
      where: { shop_id: { shop, id: customerId } },
      select: { id: true },
    }),
    loadCustomerOrders(db, shop, customerId),
    db.customerLifecycle.findUnique({
      where: { shop_customerId: { shop, customerId } },
    }),
    db.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }),
    db.advocateMark.findUnique({ where: { shop_customerId: { shop, customerId } } }),
  ]);
  const referrals = await paidReferralCounts(db, shop, customerId);
  if (!customer) {
    if (stored)
      await db.customerLifecycle.delete({
        where: { shop_customerId: { shop, customerId } },
      });
    return stored !== null;
  }
  const cutoffs: ShopCutoffs = settingsRow.rfmCutoffs
    ? (JSON.parse(settingsRow.rfmCutoffs) as ShopCutoffs)
    : {
        rfm: {
          recency: [null, null, null, null, null],
          frequency: [null, null, null, null, null],
          monetary: [null, null, null, null, null],
        },
        valueBands: { large: null, medium: null },
      };
  const facts: CustomerFacts = {
    id: customerId,
    orders,
    paidReferrals: referrals.get(customerId) ?? 0,
    markedAdvocate: mark !== null,
  };
  const result = evaluateCustomer(facts, effectiveSettings(settingsRow, storedRhythm(settingsRow)), cutoffs, now);
  if (!changed(stored ?? undefined, result)) return false;
  await writeResults(db, shop, [result], new Map(stored ? [[customerId, stored]] : []), now, shopDay(now, shopRow?.ianaTimezone ?? null));
  return true;
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
  const at = sqliteDateTime(now);
  let stageChanges = 0;
  // Each transaction holds a batch's rows, their history and their share of the day's transitions,
  // so a recompute stopped half-way and run again counts every transition exactly once.
  for (let start = 0; start < results.length; start += ROWS_PER_TRANSACTION) {
    const rows: JsonCell[][] = [];
    const history: JsonCell[][] = [];
    const transitions: JsonCell[][] = [];
    for (const result of results.slice(start, start + ROWS_PER_TRANSACTION)) {
      const previous = before.get(result.id);
      const moved = previous?.stage !== result.stage;
      const reasonValues = JSON.stringify(result.reason.values);
      if (moved) {
        history.push([shop, result.id, previous?.stage ?? null, result.stage, at, result.reason.key, reasonValues]);
        transitions.push([shop, result.id, day, previous?.stage ?? "", result.stage]);
      }
      // The stage's reason and start stay as they were while the stage holds.
      const kept = moved || !previous ? null : previous;
      rows.push([
        shop,
        result.id,
        result.stage,
        kept ? kept.reasonKey : result.reason.key,
        kept ? kept.reasonValues : reasonValues,
        kept ? sqliteDateTime(kept.stageSince) : at,
        result.recency,
        result.frequency,
        result.monetary,
        result.rfmGroup,
        result.valueBand,
        result.purchases,
        result.netRevenueMinor,
        result.trailingYearRevenueMinor,
        result.lastPurchaseAt ? sqliteDateTime(result.lastPurchaseAt) : null,
        at,
      ]);
    }
    const statements = [db.$executeRaw`${LIFECYCLE_UPSERT} ${jsonRows(db, rows, LIFECYCLE_COLUMNS)} ${CUSTOMER_STILL_HELD} ${LIFECYCLE_ON_CONFLICT}`];
    if (history.length) {
      statements.push(db.$executeRaw`${HISTORY_INSERT} ${jsonRows(db, history, HISTORY_COLUMNS)} ${CUSTOMER_STILL_HELD}`);
      statements.push(db.$executeRaw(transitionsAdded(db, transitions)));
      // The storefront's loyalty summary shows the stage: it is due to be written again (versioned like writeBackDue).
      statements.push(
        markDueStatement(
          db,
          "loyaltySummary",
          shop,
          history.map((row) => row[1] as string),
        ),
      );
    }
    const [, recorded] = await db.$transaction(statements);
    stageChanges += recorded ?? 0;
    await yieldToEventLoop();
  }
  return stageChanges;
}

/** customers/redact and customers/delete: the customer's lifecycle and its history go with them. */
export async function eraseCustomerLifecycle(db: PrismaClient, shop: string, customerId: string) {
  await db.$transaction([
    db.customerLifecycle.deleteMany({ where: { shop, customerId } }),
    db.stageChange.deleteMany({ where: { shop, customerId } }),
    db.advocateMark.deleteMany({ where: { shop, customerId } }),
  ]);
}
