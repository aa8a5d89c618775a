import { z } from "zod";
import { LOYALTY_DAILY_INTERVAL_MS, LOYALTY_DAILY_JOB, nextPeriodicRun } from "~/jobs/catalogue.server";
import type { JobHandler } from "~/jobs/types";
import { refreshAccount, settleOrderPoints } from "./ledger.server";
import { settleReferral } from "./referrals.server";
import { loyaltySettings } from "./settings.server";

const OrderPayload = z.object({ orderId: z.string() });

export const runOrderPointsJob: JobHandler = async ({ db, now, adminFor }, run) => {
  const { orderId } = OrderPayload.parse(run.payload);
  const customerId = await settleOrderPoints(db, run.job.shop, orderId);
  if (customerId) await refreshAccount(db, run.job.shop, customerId, now());
  // The same order may be a friend's, brought by a referral.
  await settleReferral(db, () => adminFor(run.job.shop), run.job.shop, orderId, now());
};

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
  return { snoozeUntil: nextPeriodicRun(shop, LOYALTY_DAILY_JOB, LOYALTY_DAILY_INTERVAL_MS, now()) };
};

const PAST_ORDERS_PER_RUN = 500;
const PastOrdersPayload = z.object({ after: z.string().default("") });

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
