import type { PrismaClient, WebhookDelivery } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { forgetCachedSessions } from "~/shopify.server";
import { eraseShop, recordScopesUpdate, recordUninstallation } from "~/shops/installation.server";

/** After this many failed attempts a delivery stays failed, with its reason, for a person to look at. */
export const MAX_ATTEMPTS = 5;

/** A delivery that can never be applied as sent; retrying would not help. */
export class UnprocessableDeliveryError extends Error {
  override name = "UnprocessableDeliveryError";
}

type Handler = (db: PrismaClient, delivery: WebhookDelivery, payload: unknown) => Promise<void>;

const ScopesUpdatePayload = z.object({ current: z.array(z.string()) });
const ShopRedactPayload = z.object({ shop_domain: z.string() });

/**
 * Topics processed so far. Every other topic stays pending in the inbox until its processor
 * exists; nothing is dropped.
 */
const handlers: Record<string, Handler> = {
  "app/uninstalled": async (db, delivery) => {
    await recordUninstallation(db, delivery.shop, delivery.triggeredAt ?? delivery.receivedAt);
    forgetCachedSessions(delivery.shop);
  },
  "app/scopes_update": async (db, delivery, payload) => {
    await recordScopesUpdate(db, delivery.shop, ScopesUpdatePayload.parse(payload).current);
    forgetCachedSessions(delivery.shop);
  },
  "shop/redact": async (db, delivery, payload) => {
    const { shop_domain } = ShopRedactPayload.parse(payload);
    if (shop_domain !== delivery.shop) throw new UnprocessableDeliveryError(`shop/redact for ${shop_domain} delivered as ${delivery.shop}`);
    await eraseShop(db, delivery.shop);
    forgetCachedSessions(delivery.shop);
  },
};

export const PROCESSED_TOPICS: ReadonlySet<string> = new Set(Object.keys(handlers));

/** Processes pending deliveries of the topics above, oldest first, until none is left. */
export async function processInbox(db: PrismaClient, now: () => Date = () => new Date()): Promise<number> {
  let processed = 0;
  for (;;) {
    const batch = await db.webhookDelivery.findMany({
      where: { status: "pending", topic: { in: [...PROCESSED_TOPICS] } },
      orderBy: { id: "asc" },
      take: 50,
    });
    if (batch.length === 0) return processed;
    for (const delivery of batch) {
      await processOne(db, delivery, now);
      processed += 1;
    }
  }
}

async function processOne(db: PrismaClient, delivery: WebhookDelivery, now: () => Date) {
  const handler = handlers[delivery.topic];
  if (!handler) return;
  // Claim it first: a concurrent run that read the same row skips it instead of applying it twice.
  const claimed = await db.webhookDelivery.updateMany({ where: { id: delivery.id, status: "pending" }, data: { status: "processing" } });
  if (claimed.count === 0) return;
  try {
    await handler(db, delivery, JSON.parse(delivery.payload));
    // shop/redact erases the delivery itself along with the shop, hence updateMany.
    await db.webhookDelivery.updateMany({
      where: { id: delivery.id },
      data: { status: "processed", processedAt: now(), attempts: { increment: 1 }, lastError: null },
    });
  } catch (error) {
    const attempts = delivery.attempts + 1;
    // A payload that does not fit its topic will not fit it next time either.
    const permanent =
      error instanceof z.ZodError || error instanceof SyntaxError || error instanceof UnprocessableDeliveryError || attempts >= MAX_ATTEMPTS;
    await db.webhookDelivery.update({
      where: { id: delivery.id },
      data: { attempts, lastError: error instanceof Error ? error.message : String(error), status: permanent ? "failed" : "pending" },
    });
    if (!permanent) throw error;
  }
}

let running: Promise<void> | null = null;
let again = false;

/** Runs the processor in the background after a delivery is stored; one run at a time per process. */
export function scheduleInboxProcessing(db: PrismaClient = prisma) {
  if (running) {
    again = true;
    return;
  }
  running = (async () => {
    do {
      again = false;
      try {
        await processInbox(db);
      } catch (error) {
        console.error("[webhooks] processing failed; it will be retried with the next delivery", error);
      }
    } while (again);
  })().finally(() => {
    running = null;
  });
}

/** Resolves when the background run (if any) has finished; for tests and graceful shutdown. */
export async function inboxProcessingSettled(): Promise<void> {
  while (running) await running;
}
