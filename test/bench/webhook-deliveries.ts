import { getHmac } from "@shopify/shopify-api/test-helpers";
import { API_VERSION } from "~/api-version";

export const BENCH_SHOP = "bench-shop.myshopify.com";
export const BENCH_SECRET = "bench-secret";

/** An orders/create delivery as Shopify signs it; `request(url)` makes a fresh Request of it each time. */
export function signedDelivery(webhookId: string, index: number) {
  const body = JSON.stringify({
    id: 450789469 + index,
    admin_graphql_api_id: `gid://shopify/Order/${450789469 + index}`,
    name: `#${1001 + index}`,
    email: `buyer${index}@example.com`,
    created_at: "2026-11-20T10:00:00-05:00",
    updated_at: "2026-11-20T10:00:00-05:00",
    financial_status: "paid",
    currency: "USD",
    subtotal_price: "59.00",
    total_price: "64.90",
    customer: { id: 207119551 + index, admin_graphql_api_id: `gid://shopify/Customer/${207119551 + index}` },
    line_items: [{ id: 866550311766439000 + index, title: "Organic cotton tee", quantity: 2, price: "29.50" }],
  });
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
  return { request: (url: string) => new Request(url, { method: "POST", headers, body }) };
}
