import { randomUUID } from "node:crypto";
import { API_SECRET_KEY, APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { API_VERSION } from "~/api-version";

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
