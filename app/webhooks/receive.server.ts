import prisma from "~/db.server";
import { env } from "~/env.server";
import { newWorkDue } from "~/jobs/wake";
import { createInboxWriter, type IncomingDelivery } from "./inbox.server";
import { malformedPayloadReason } from "./exact-json";
import { namesItsShop, refuseShopMismatch, shopNamedByPayload } from "./refused.server";
import { verifyWebhook } from "./verify.server";
import { logEvent } from "~/log.server";

const inbox = createInboxWriter(prisma);

/**
 * The largest body accepted, read before the signature is checked so that nobody can make us hold
 * more. A real order is 5–30 KB; Shopify staff describe bodies "upwards of a megabyte" for the
 * largest orders, and Shopify itself delivers at most 1,000,000 bytes inline through EventBridge
 * (a larger payload falls back to a stub there). 5 MiB is five times that, with room to spare.
 */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

const utf8 = new TextDecoder();

/**
 * The whole job of a webhook route: a body within the limit (else 413), Shopify's signature on it
 * (missing headers → 400, bad HMAC → 401, as authenticate.webhook answers), the delivery stored
 * once, then 200. The signature alone proves the delivery is Shopify's: no session is read and no
 * token refreshed here. Processing happens afterwards, from the inbox.
 */
export async function receiveWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405, statusText: "Method not allowed" });
  // A declared length past the limit is refused unread; an undeclared or understated one is counted.
  if (Number(request.headers.get("content-length")) > MAX_WEBHOOK_BODY_BYTES) return payloadTooLarge(request);
  const body = await readWithin(request, MAX_WEBHOOK_BODY_BYTES);
  if (!body) return payloadTooLarge(request);

  const verification = verifyWebhook(request.headers, body, env().SHOPIFY_API_SECRET);
  if (!verification.ok) return new Response(null, { status: verification.status });
  const { shop, topic, webhookId, apiVersion, eventId, triggeredAt } = verification.delivery;
  const payload = utf8.decode(body);
  const delivery: IncomingDelivery = { shop, topic, webhookId, eventId, triggeredAt: parseDate(triggeredAt), apiVersion, payload };

  // The shop header is not signed; where the signed payload names its shop, the two must agree.
  // Only those topics' payloads are parsed here: an order's 10 KB are read once, when processed.
  if (namesItsShop(topic)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (error) {
      // Authentic but not JSON: kept, marked failed, so it is visible and nothing Shopify sent is lost.
      delivery.malformedReason = malformedPayloadReason(error);
    }
    const namedShop = shopNamedByPayload(topic, parsed);
    if (namedShop !== null && namedShop.toLowerCase() !== shop.toLowerCase()) return refuseShopMismatch(prisma, delivery, namedShop);
  }

  const result = await inbox.store(delivery);
  if (result.outcome === "stored") newWorkDue();
  return new Response(null, { status: 200 });
}

/** The body's bytes, or null once they pass `limit`: reading stops there, the rest is never taken in. */
async function readWithin(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Not cancelled: on Node that destroys the socket before the 413 could be sent. Left unread,
    // the stream pauses the socket, and the answer closes the connection.
    if (size > limit) {
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function payloadTooLarge(request: Request): Response {
  const { headers } = request;
  // Unverified: the shop and topic are what the request claims.
  logEvent("warn", "webhook.refused", {
    shop: headers.get("x-shopify-shop-domain") ?? undefined,
    topic: headers.get("x-shopify-topic") ?? undefined,
    outcome: "body-too-large",
    limitBytes: MAX_WEBHOOK_BODY_BYTES,
    declaredBytes: headers.get("content-length") ?? undefined,
  });
  return new Response(null, { status: 413, headers: { Connection: "close" } });
}

function parseDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
