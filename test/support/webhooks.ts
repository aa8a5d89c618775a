import { randomUUID } from "node:crypto";
import { API_SECRET_KEY, APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { API_VERSION } from "~/api-version";
import type { DeliveryResult } from "@lifecycle/shopify-sandbox";

export interface WebhookRequestOptions {
  topic?: string;
  shop?: string;
  body?: unknown;
  rawBody?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  secret?: string;
  omitHeaders?: string[];
  tamper?: (body: string) => string;
}

/** A webhook delivery exactly as Shopify sends it: raw JSON body signed with the app secret. */
export function signedWebhookRequest(options: WebhookRequestOptions = {}): Request {
  const topic = options.topic ?? "orders/create";
  const raw = options.rawBody ?? JSON.stringify(options.body ?? { id: 1, admin_graphql_api_id: "gid://shopify/Order/1" });
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": getHmac(raw, options.secret ?? API_SECRET_KEY),
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": options.shop ?? TEST_SHOP,
    "X-Shopify-API-Version": API_VERSION,
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": options.triggeredAt ?? new Date().toISOString(),
  };
  for (const name of options.omitHeaders ?? []) delete headers[name];
  const body = options.tamper ? options.tamper(raw) : raw;
  return new Request(`${APP_URL}/webhooks/${topic}`, { method: "POST", headers, body });
}

/**
 * Sends recorded deliveries again, as Shopify would: same ids and bytes, freshly signed, each
 * answered 200 by the app's webhook route.
 */
export async function redeliver(
  results: readonly DeliveryResult[],
  route: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>,
) {
  for (const { delivery } of results) {
    const request = signedWebhookRequest({
      topic: delivery.topic,
      rawBody: delivery.body,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      triggeredAt: delivery.triggeredAt,
    });
    const response = await route({ request, params: {}, context: {} });
    if (response.status !== 200) throw new Error(`${delivery.topic} redelivered: HTTP ${response.status}`);
  }
}

/** A deterministic shuffle (seeded), so a failing order of deliveries can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
