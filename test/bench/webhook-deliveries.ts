import { getHmac } from "@shopify/shopify-api/test-helpers";
import { API_VERSION } from "~/api-version";
import { shopifySample } from "../webhooks/shopify-samples";
import type { LoadRequest } from "./load";

export const BENCH_SHOP = "bench-shop.myshopify.com";
export const BENCH_SECRET = "bench-secret";
/** Where the bench server serves the template-style peer route (webhook-template-route.ts). */
export const TEMPLATE_WEBHOOK_PATH = "/template/webhooks/orders/create";

// Shopify's own orders/create sample (five line items, addresses, money sets), sent compact as
// Shopify sends it: about 9 KB, in the 5–30 KB a real order body weighs.
const SAMPLE_ORDER = compactJson(shopifySample("orders/create"));
const SAMPLE_ORDER_ID = "820982911946154508";
const SAMPLE_CUSTOMER_ID = "115310627314723954";

/**
 * An orders/create delivery as Shopify signs it, for its own order and customer ids (64-bit, as
 * Shopify's are); `request(url)` makes a fresh Request of it each time, `load(url)` the same for the load generator.
 */
export function signedDelivery(webhookId: string, index: number) {
  const body = SAMPLE_ORDER.replaceAll(SAMPLE_ORDER_ID, String(820982911946154508n + BigInt(index))).replaceAll(
    SAMPLE_CUSTOMER_ID,
    String(115310627314723954n + BigInt(index % 997)),
  );
  const headers = {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": getHmac(body, BENCH_SECRET),
    "X-Shopify-Topic": "orders/create",
    "X-Shopify-Shop-Domain": BENCH_SHOP,
    "X-Shopify-API-Version": API_VERSION,
    "X-Shopify-Webhook-Id": webhookId,
    "X-Shopify-Event-Id": `event-${webhookId}`,
    "X-Shopify-Triggered-At": new Date().toISOString(),
  };
  const bytes = Buffer.from(body);
  return {
    bytes: bytes.byteLength,
    request: (url: string) => new Request(url, { method: "POST", headers, body }),
    load: (url: string): LoadRequest => ({ url, method: "POST", headers, body: bytes }),
  };
}

/** The JSON text without the whitespace between its tokens (strings kept as they are, numbers as written). */
function compactJson(text: string): string {
  let result = "";
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (inString) {
      result += character;
      if (character === "\\") result += text[++index];
      else if (character === '"') inString = false;
    } else if (character === '"') {
      inString = true;
      result += character;
    } else if (!/\s/.test(character)) {
      result += character;
    }
  }
  return result;
}
