import type { FetchHandler } from "./http";

const SHOP_HOST = /\.myshopify\.com$/;

/**
 * Sends every request for https://<shop>.myshopify.com to the sandbox, in this process, and lets
 * everything else through. Install it before the app is loaded: shopify-api keeps the `fetch` it
 * finds at import. (Tests do the same with msw; see test/sandbox/msw.ts.)
 */
export function routeShopifyFetchTo(handler: FetchHandler) {
  const nativeFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    return SHOP_HOST.test(new URL(request.url).hostname) ? handler(request) : nativeFetch(request);
  };
}
