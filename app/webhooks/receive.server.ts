import prisma from "~/db.server";
import { authenticate } from "~/shopify.server";
import { createInboxWriter, type IncomingDelivery } from "./inbox.server";
import { wakeAppWorker } from "~/jobs/app-worker.server";

const inbox = createInboxWriter(prisma);

/**
 * The whole job of a webhook route: authenticate (bad HMAC → 401, missing headers → 400), store
 * the delivery once, then answer 200. Processing happens afterwards, from the inbox.
 */
export async function receiveWebhook(request: Request): Promise<Response> {
  // The exact bytes Shopify signed are kept (JSON.parse would round ids above 2^53); reading them
  // once and handing authenticate.webhook a request over the same text is cheaper than clone().
  const raw = request.method === "POST" ? await request.text() : "";
  let delivery: IncomingDelivery;
  try {
    const context = await authenticate.webhook(
      new Request(request.url, { method: request.method, headers: authenticationHeaders(request.headers), body: raw || undefined }),
    );
    delivery = {
      shop: context.shop,
      topic: request.headers.get("x-shopify-topic") ?? context.topic,
      webhookId: context.webhookId,
      eventId: request.headers.get("x-shopify-event-id"),
      triggeredAt: parseDate(request.headers.get("x-shopify-triggered-at")),
      apiVersion: context.apiVersion,
      payload: raw,
    };
  } catch (error) {
    if (error instanceof Response) return error;
    // The signature was valid (JSON is parsed only after it is checked) but the body is not JSON:
    // keep it, marked failed, so it is visible and nothing Shopify sent is lost.
    if (error instanceof SyntaxError) delivery = malformedDelivery(request.headers, raw, error);
    else throw error;
  }

  const result = await inbox.store(delivery);
  if (result.outcome === "stored") wakeAppWorker();
  return new Response(null, { status: 200 });
}

function malformedDelivery(headers: Headers, payload: string, error: SyntaxError): IncomingDelivery {
  return {
    shop: headers.get("x-shopify-shop-domain") ?? "",
    topic: headers.get("x-shopify-topic") ?? "",
    webhookId: headers.get("x-shopify-webhook-id") ?? "",
    eventId: headers.get("x-shopify-event-id"),
    triggeredAt: parseDate(headers.get("x-shopify-triggered-at") ?? undefined),
    apiVersion: headers.get("x-shopify-api-version") ?? "",
    payload,
    malformedReason: `Payload is not valid JSON: ${error.message}`,
  };
}

// What authenticate.webhook needs to verify and identify a delivery. shopify-api canonicalises
// every header name on every lookup, so handing it only these is measurably cheaper under load.
const AUTHENTICATION_HEADERS = ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"];

function authenticationHeaders(headers: Headers): Headers {
  const kept = new Headers();
  for (const name of AUTHENTICATION_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  return kept;
}

function parseDate(value: string | undefined | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
