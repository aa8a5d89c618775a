import prisma from "~/db.server";
import { authenticate } from "~/shopify.server";
import { storeDelivery, type IncomingDelivery } from "./inbox.server";
import { scheduleInboxProcessing } from "./process.server";

/**
 * The whole job of a webhook route: authenticate (bad HMAC → 401, missing headers → 400), store
 * the delivery once, then answer 200. Processing happens afterwards, from the inbox.
 */
export async function receiveWebhook(request: Request): Promise<Response> {
  // authenticate.webhook consumes the body; the copy keeps the exact bytes Shopify signed.
  const copy = request.clone();
  let delivery: IncomingDelivery;
  try {
    const context = await authenticate.webhook(request);
    delivery = {
      shop: context.shop,
      topic: request.headers.get("x-shopify-topic") ?? context.topic,
      webhookId: context.webhookId,
      eventId: context.eventId ?? null,
      triggeredAt: parseDate(context.triggeredAt),
      apiVersion: context.apiVersion,
      payload: await copy.text(),
    };
  } catch (error) {
    if (error instanceof Response) return error;
    // The signature was valid (JSON is parsed only after it is checked) but the body is not JSON:
    // keep it, marked failed, so it is visible and nothing Shopify sent is lost.
    if (error instanceof SyntaxError) delivery = malformedDelivery(request.headers, await copy.text(), error);
    else throw error;
  }

  const result = await storeDelivery(prisma, delivery);
  if (result.outcome === "stored") scheduleInboxProcessing();
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

function parseDate(value: string | undefined | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
