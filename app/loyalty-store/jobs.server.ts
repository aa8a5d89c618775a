import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { refreshAccount, settleOrderPoints } from "./ledger.server";
import { settleReferral } from "./referrals.server";
import { loyaltySettings } from "./settings.server";

export const ORDER_POINTS_JOB = "order-points";

/** Queues the settlement of an order's points after anything about it changed; repeated requests collapse. */
export async function requestOrderPoints(db: PrismaClient, shop: string, orderId: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: ORDER_POINTS_JOB, dedupeKey: orderId, payload: { orderId }, runAt: now });
}

const OrderPayload = z.object({ orderId: z.string() });

export const runOrderPointsJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const { orderId } = OrderPayload.parse(run.payload);
  const customerId = await settleOrderPoints(db, run.job.shop, orderId);
  if (customerId) await refreshAccount(db, run.job.shop, customerId, now());
  // The same order may be a friend's, brought by a referral.
  await settleReferral(db, () => adminFor(run.job.shop), run.job.shop, orderId, now());
};

export const LOYALTY_DAILY_JOB = "loyalty-daily";
const DAY_MS = 24 * 60 * 60 * 1000;

/** Keeps the shop's daily loyalty run queued (it then reschedules itself). */
export async function scheduleLoyaltyDaily(db: PrismaClient, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: LOYALTY_DAILY_JOB, dedupeKey: "daily", runAt: new Date(now.getTime() + DAY_MS) });
}

/** Balances move with time alone: pending points become spendable, quiet balances expire. */
export const runLoyaltyDailyJob: JobHandler = async ({ db, now }, run) => {
  const shop = run.job.shop;
  const settings = await loyaltySettings(db, shop);
  const due = await db.loyaltyAccount.findMany({
    where: { shop, OR: [{ pending: { not: 0 } }, ...(settings.expiryMonths === null ? [] : [{ available: { gt: 0 } }])] },
    select: { customerId: true },
  });
  for (const { customerId } of due) {
    await refreshAccount(db, shop, customerId, now());
    await run.heartbeat();
  }
  return { snoozeUntil: new Date(now().getTime() + DAY_MS) };
};

export const AWARD_PAST_ORDERS_JOB = "award-past-orders";
const PAST_ORDERS_PER_RUN = 500;
const PastOrdersPayload = z.object({ after: z.string().default("") });

/** Settles every order bought since the programme's start, after the merchant moved it back. */
export async function requestPastOrdersAward(db: PrismaClient, shop: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: AWARD_PAST_ORDERS_JOB, dedupeKey: "all", payload: { after: "" }, runAt: now });
}

/** A batch of orders at a time, resuming after the last one settled (a restart redoes at most one batch, which changes nothing). */
export const runAwardPastOrdersJob: JobHandler = async ({ db, now }, run) => {
  const shop = run.job.shop;
  const settings = await loyaltySettings(db, shop);
  const { after } = PastOrdersPayload.parse(run.payload);
  const orders = await db.order.findMany({
    where: { shop, id: { gt: after }, customerId: { not: null }, processedAt: { gte: settings.earnSince } },
    orderBy: { id: "asc" },
    take: PAST_ORDERS_PER_RUN,
    select: { id: true },
  });
  const customers = new Set<string>();
  for (const { id } of orders) {
    const customerId = await settleOrderPoints(db, shop, id);
    if (customerId) customers.add(customerId);
  }
  for (const customerId of customers) await refreshAccount(db, shop, customerId, now());
  if (orders.length < PAST_ORDERS_PER_RUN) return;
  return { snoozeUntil: now(), payload: { after: orders[orders.length - 1]!.id } };
};
