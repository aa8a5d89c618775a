import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler } from "~/jobs/worker.server";
import { refreshAccount, settleOrderPoints } from "./ledger.server";

export const ORDER_POINTS_JOB = "order-points";

/** Queues the settlement of an order's points after anything about it changed; repeated requests collapse. */
export async function requestOrderPoints(db: PrismaClient, shop: string, orderId: string, now = new Date()) {
  await enqueueJob(db, { shop, kind: ORDER_POINTS_JOB, dedupeKey: orderId, payload: { orderId }, runAt: now });
}

const OrderPayload = z.object({ orderId: z.string() });

export const runOrderPointsJob: JobHandler = async ({ db, now }, run) => {
  const customerId = await settleOrderPoints(db, run.job.shop, OrderPayload.parse(run.payload).orderId);
  if (customerId) await refreshAccount(db, run.job.shop, customerId, now());
};
