/**
 * Shopify's own sample payloads for API 2026-07, as its webhooks reference publishes them
 * (https://shopify.dev/docs/api/webhooks/2026-07, each topic's "Sample Payload"): what "Send test
 * notification" delivers. Kept verbatim as text, for their ids are 64-bit (820982911946154508, …),
 * past what JSON.parse reads exactly. The reference gives the four order topics one sample, and
 * customers/create and customers/update another. Compliance samples write the receiving shop's
 * domain as the placeholder "{shop}.myshopify.com".
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../support/paths";

const FILES: Record<string, string> = {
  "app/uninstalled": "app-uninstalled.json",
  "app/scopes_update": "app-scopes_update.json",
  "bulk_operations/finish": "bulk_operations-finish.json",
  "customers/create": "customers-create.json",
  "customers/update": "customers-create.json",
  "customers/delete": "customers-delete.json",
  "customers/data_request": "customers-data_request.json",
  "customers/redact": "customers-redact.json",
  "orders/create": "orders.json",
  "orders/updated": "orders.json",
  "orders/paid": "orders.json",
  "orders/cancelled": "orders.json",
  "refunds/create": "refunds-create.json",
  "shop/redact": "shop-redact.json",
};

export const SAMPLE_TOPICS: readonly string[] = Object.keys(FILES);

/** The sample body of `topic` as Shopify sends it, with the placeholder shop replaced by `shop` when given. */
export function shopifySample(topic: string, shop?: string): string {
  const file = FILES[topic];
  if (!file) throw new Error(`No Shopify sample for ${topic}`);
  const text = readFileSync(path.join(REPO_ROOT, "test", "webhooks", "shopify-samples", file), "utf8");
  return shop ? text.replaceAll("{shop}.myshopify.com", shop) : text;
}
