import { createHmac } from "node:crypto";
import { API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";

/**
 * A storefront request as Shopify's App Proxy forwards it: signed with Shopify's own test helper,
 * with the logged-in customer (if any) among the signed parameters.
 */
export function proxyRequest(path: string, options: { customerId?: string | null; method?: string } = {}) {
  const url = new URL(`${APP_URL}/proxy/${path}`);
  url.searchParams.set("path_prefix", "/apps/lifecycle");
  url.searchParams.set("logged_in_customer_id", options.customerId ?? "");
  return setUpValidRequest(
    { type: RequestType.Public, store: TEST_SHOP_NAME, apiSecretKey: API_SECRET_KEY },
    new Request(url, { method: options.method ?? "GET" }),
  );
}

/** Signs `params` as the App Proxy does (sorted key=value pairs, hex HMAC-SHA256), for hand-made cases such as a stale timestamp. */
export function signProxyParams(params: Record<string, string>, secret = API_SECRET_KEY): string {
  const message = Object.entries(params)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}
