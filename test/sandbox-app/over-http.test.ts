import { createServer } from "node:net";
import { http, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bulkOperationsSettled, generateShopData, Sandbox, serveFetchHandler, type RunningHttpServer } from "@lifecycle/shopify-sandbox";
import { mswServer } from "../setup/msw";
import { appFromToml } from "../support/sandbox-app";

const SHOP = "http-shop.myshopify.com";

interface GraphqlData {
  bulkOperationRunQuery: { bulkOperation: { id: string }; userErrors: { message: string }[] };
  bulkOperation: { status: string; url: string; rootObjectCount: string; objectCount: string };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * The sandbox as the demo runs it: a real loopback server. An app-side client talks to it the way
 * the app talks to Shopify: token exchange, Admin GraphQL with an access token, a bulk query whose
 * JSONL is downloaded over HTTP.
 */
describe("sandbox store over loopback HTTP", () => {
  let server: RunningHttpServer;
  let sandbox: Sandbox;
  const shopRequest = (path: string, init: RequestInit) =>
    fetch(`${server.url}${path}`, { ...init, headers: { ...init.headers, "x-sandbox-host": SHOP } });

  beforeAll(async () => {
    const port = await freePort();
    sandbox = new Sandbox({
      app: appFromToml({ apiKey: "http-key", apiSecret: "http-secret", appUrl: "http://127.0.0.1:9" }),
      publicUrl: `http://127.0.0.1:${port}`,
    });
    sandbox.addShop(generateShopData({ seed: 11, customers: 80, now: "2026-11-01T00:00:00Z", domain: SHOP }));
    sandbox.install(SHOP);
    // Requests for https://<shop>.myshopify.com arrive here with the shop named in a header.
    server = await serveFetchHandler(
      (request) => {
        const shop = request.headers.get("x-sandbox-host");
        if (!shop) return sandbox.handle(request);
        const url = new URL(request.url);
        return sandbox.handle(new Request(`https://${shop}${url.pathname}${url.search}`, request));
      },
      { port },
    );
  });

  // Real sockets on loopback are what this test is about: let msw pass them through.
  beforeEach(() => mswServer.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough())));

  afterAll(async () => {
    await server?.close();
  });

  it("exchanges a session token, runs a bulk query and serves its JSONL", async () => {
    const exchange = await shopRequest("/admin/oauth/access_token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: "http-key",
        client_secret: "http-secret",
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: sandbox.sessionToken(SHOP),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        expiring: "1",
      }),
    });
    expect(exchange.status).toBe(200);
    const { access_token: token } = (await exchange.json()) as { access_token: string };

    const graphql = async (query: string, variables?: object) => {
      const response = await shopRequest("/admin/api/2026-07/graphql.json", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
        body: JSON.stringify({ query, variables }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { data: GraphqlData };
    };

    const started = await graphql(`mutation { bulkOperationRunQuery(query: """
      { customers { edges { node { id orders { edges { node { id } } } } } } }
    """) { bulkOperation { id } userErrors { message } } }`);
    expect(started.data.bulkOperationRunQuery.userErrors).toEqual([]);
    await bulkOperationsSettled(sandbox.shop(SHOP));

    const done = await graphql(`query ($id: ID!) { bulkOperation(id: $id) { status url rootObjectCount objectCount } }`, {
      id: started.data.bulkOperationRunQuery.bulkOperation.id,
    });
    const operation = done.data.bulkOperation;
    expect(operation.status).toBe("COMPLETED");
    expect(operation.url.startsWith(server.url)).toBe(true);

    const jsonl = await (await fetch(operation.url)).text();
    const rows = jsonl.trim().split("\n").map((line) => JSON.parse(line) as { id: string; __parentId?: string });
    const shop = sandbox.shop(SHOP);
    expect(rows.filter((row) => !row.__parentId)).toHaveLength(shop.customers().length);
    expect(rows.filter((row) => row.__parentId)).toHaveLength(shop.orders().filter((order) => order.customerId !== null).length);
    expect(Number(operation.objectCount)).toBe(rows.length);
  });

  it("refuses the Admin API without a valid access token, as Shopify does", async () => {
    const response = await shopRequest("/admin/api/2026-07/graphql.json", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_forged" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(response.status).toBe(401);
  });
});
