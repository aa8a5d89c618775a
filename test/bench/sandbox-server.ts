/**
 * A benchmark's sandbox over loopback HTTP, in the process that generates its shops, and the app
 * processes' way to it: requests meant for https://<shop>.myshopify.com arrive with the shop named in
 * `x-sandbox-host` (routeShopifyToBenchSandbox).
 * It answers 503 until `open()`: the sandbox names its file URLs after its own origin, known only
 * once the server listens, and its shops are generated after that.
 */
import { routeShopifyFetchTo, Sandbox, serveFetchHandler } from "@lifecycle/shopify-sandbox";
import { appFromToml } from "../support/sandbox-app";

export async function serveBenchSandbox(app: { apiKey: string; apiSecret: string }) {
  let open = false;
  const server = await serveFetchHandler(
    (request) => {
      if (!open) return Promise.resolve(new Response("starting", { status: 503 }));
      const shop = request.headers.get("x-sandbox-host");
      if (!shop) return sandbox.handle(request);
      const url = new URL(request.url);
      return sandbox.handle(new Request(`https://${shop}${url.pathname}${url.search}`, request));
    },
    { port: 0 },
  );
  // No webhooks are delivered by the sandbox (no app server listens at this address): a benchmark sends its own.
  const sandbox = new Sandbox({ app: appFromToml({ ...app, appUrl: "http://127.0.0.1:9" }), publicUrl: server.url });
  return {
    sandbox,
    url: server.url,
    open: () => void (open = true),
    close: () => server.close(),
  };
}

/**
 * In an app process, before the app is loaded (shopify-api keeps the fetch it finds at import): every
 * request to a shop's domain goes to the benchmark's sandbox process at `sandboxUrl`.
 */
export function routeShopifyToBenchSandbox(sandboxUrl: string) {
  const nativeFetch = globalThis.fetch;
  routeShopifyFetchTo(async (request) => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set("x-sandbox-host", url.hostname);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    return nativeFetch(`${sandboxUrl}${url.pathname}${url.search}`, { method: request.method, headers, body });
  });
}

/** An expiring offline session's fields, as a session row and shopify-api's Session both take them. */
export interface OfflineSessionFields {
  id: string;
  shop: string;
  state: string;
  isOnline: false;
  scope: string;
  accessToken: string;
  expires: Date;
  refreshToken: string;
  refreshTokenExpires: Date;
}

/**
 * What the first embedded load does at install, against the benchmark's sandbox process: a session
 * token from the admin, exchanged for an expiring offline token. `fetchDirect` must reach `sandboxUrl`
 * as it is (not through the routing above).
 */
export async function exchangeOfflineToken(
  sandboxUrl: string,
  shop: string,
  app: { apiKey: string; apiSecret: string },
  fetchDirect: typeof fetch = fetch,
): Promise<OfflineSessionFields> {
  const { token } = (await (await fetchDirect(`${sandboxUrl}/session-token?shop=${shop}&api_key=${app.apiKey}`)).json()) as { token: string };
  const exchange = await fetchDirect(`${sandboxUrl}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "x-sandbox-host": shop },
    body: JSON.stringify({
      client_id: app.apiKey,
      client_secret: app.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
    }),
  });
  if (!exchange.ok) throw new Error(`Token exchange for ${shop} failed: HTTP ${exchange.status} ${await exchange.text()}`);
  const grant = (await exchange.json()) as { access_token: string; scope: string; expires_in: number; refresh_token: string; refresh_token_expires_in: number };
  const now = Date.now();
  return {
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    scope: grant.scope,
    accessToken: grant.access_token,
    expires: new Date(now + grant.expires_in * 1000),
    refreshToken: grant.refresh_token,
    refreshTokenExpires: new Date(now + grant.refresh_token_expires_in * 1000),
  };
}
