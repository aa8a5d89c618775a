import type { PrismaClient } from "@prisma/client";
import type { IncomingDelivery } from "./inbox.server";
import { logEvent } from "~/log.server";

/**
 * Where each subscribed topic's payload names the shop it is about, per Shopify's 2026-07 webhook
 * reference: the compliance topics' `shop_domain` and app/uninstalled's `myshopify_domain` (its
 * `domain` is the primary domain, which may be the shop's own). The other topics' payloads name no
 * shop (orders, refunds, customers, bulk operations) or only by id (app/scopes_update's `shop_id`).
 */
const SHOP_FIELD: Readonly<Record<string, string>> = {
  "customers/data_request": "shop_domain",
  "customers/redact": "shop_domain",
  "shop/redact": "shop_domain",
  "app/uninstalled": "myshopify_domain",
};

/** Whether the topic's payload names the shop it is about (so intake reads it to compare with the header). */
export const namesItsShop = (topic: string) => topic in SHOP_FIELD;

/** The shop a delivery's signed payload names, or null where it names none. */
export function shopNamedByPayload(topic: string, payload: unknown): string | null {
  const field = SHOP_FIELD[topic];
  if (!field || typeof payload !== "object" || payload === null) return null;
  const named = (payload as Record<string, unknown>)[field];
  return typeof named === "string" && named !== "" ? named : null;
}

/**
 * Refuses (400) a signed delivery whose shop header disagrees with the shop its payload names:
 * someone replayed a genuine payload under another shop's name (the header is not signed). It is
 * logged for the operator, and recorded for the merchant of the shop it claimed to be for (a shop
 * we know: nobody else could see it). Nothing goes into the inbox, so the genuine delivery with the
 * same webhook id is still stored when it comes.
 */
export async function refuseShopMismatch(db: PrismaClient, delivery: IncomingDelivery, namedShop: string): Promise<Response> {
  logEvent("warn", "webhook.refused", { shop: delivery.shop, topic: delivery.topic, webhookId: delivery.webhookId, outcome: "shop-mismatch", payloadShop: namedShop });
  const known = await db.shop.findUnique({ where: { shop: delivery.shop }, select: { shop: true } });
  if (known) {
    const now = new Date();
    await db.refusedWebhook.upsert({
      where: { webhookId_shop: { webhookId: delivery.webhookId, shop: delivery.shop } },
      create: { shop: delivery.shop, namedShop, topic: delivery.topic, webhookId: delivery.webhookId, eventId: delivery.eventId, receivedAt: now, lastReceivedAt: now },
      update: { times: { increment: 1 }, lastReceivedAt: now },
    });
  }
  return new Response(null, { status: 400, statusText: "Shop header does not match the payload" });
}
