import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Shopify's signature check of a webhook delivery, on the raw bytes Shopify signed, with the
 * answers authenticate.webhook gives (a test compares the two on thousands of deliveries): no
 * body or no signature → 400, a signature that does not match → 401, then a required header
 * missing → 400. Unlike authenticate.webhook it reads no session and refreshes no token: the
 * signature alone proves the delivery came from Shopify.
 */

// Classic webhooks send X-Shopify-* headers; Events subscriptions send Shopify-* and an event id.
const WEBHOOK_HEADERS = {
  hmac: "x-shopify-hmac-sha256",
  topic: "x-shopify-topic",
  shop: "x-shopify-shop-domain",
  apiVersion: "x-shopify-api-version",
  webhookId: "x-shopify-webhook-id",
  eventId: "x-shopify-event-id",
  triggeredAt: "x-shopify-triggered-at",
} as const;
const EVENTS_HEADERS = {
  hmac: "shopify-hmac-sha256",
  topic: "shopify-topic",
  shop: "shopify-shop-domain",
  apiVersion: "shopify-api-version",
  webhookId: "shopify-webhook-id",
  eventId: "shopify-event-id",
  triggeredAt: "shopify-triggered-at",
} as const;

export interface VerifiedDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string;
  eventId: string | null;
  triggeredAt: string | null;
}

export type Verification = { ok: true; delivery: VerifiedDelivery } | { ok: false; status: 400 | 401; reason: string };

export function verifyWebhook(headers: Headers, body: Uint8Array, secret: string): Verification {
  const events = Boolean(headers.get(EVENTS_HEADERS.hmac));
  const names = events ? EVENTS_HEADERS : WEBHOOK_HEADERS;
  if (body.byteLength === 0) return { ok: false, status: 400, reason: "no body" };
  const signature = headers.get(names.hmac);
  if (!signature) return { ok: false, status: 400, reason: `no ${names.hmac} header` };
  if (!signatureMatches(signature, body, secret)) return { ok: false, status: 401, reason: "signature does not match" };

  // An empty header counts as missing, as it does for authenticate.webhook.
  const topic = headers.get(names.topic);
  const shop = headers.get(names.shop);
  const apiVersion = headers.get(names.apiVersion);
  const webhookId = headers.get(names.webhookId);
  const eventId = headers.get(names.eventId) || null;
  if (!topic || !shop || !apiVersion || !webhookId || (events && !eventId)) return { ok: false, status: 400, reason: "a required header is missing" };
  return { ok: true, delivery: { shop, topic, webhookId, apiVersion, eventId, triggeredAt: headers.get(names.triggeredAt) || null } };
}

/** HMAC-SHA256 of the body, base64, compared with the header in constant time. */
function signatureMatches(signature: string, body: Uint8Array, secret: string): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("base64"));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
