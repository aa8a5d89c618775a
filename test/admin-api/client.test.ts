import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { assertNoUserErrors, createAdminApi, type QueryCost } from "~/admin-api/client.server";
import { AdminApiError, AdminApiInvalidArgumentsError, AdminApiUserErrors } from "~/admin-api/errors";
import { authenticate } from "~/shopify.server";
import { installTestSandbox } from "../support/sandbox";

// The sandbox's leaky buckets run on this clock; the client's waits move it instead of sleeping.
let clockMs = 0;
const { shop } = installTestSandbox({ customers: 120, seed: 3, throttleClock: () => clockMs });

async function adminGraphql() {
  const request = await setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app`, { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0.0.0 Safari/537.36" } }),
  );
  return (await authenticate.admin(request)).admin.graphql;
}

const CUSTOMER_PAGE = `#graphql
  query SandboxCustomerPage {
    customers(first: 200) { nodes { id } }
  }
`;

describe("Admin API client against the sandbox's Standard-plan rate limit", () => {
  it("waits as throttleStatus says and retries THROTTLED requests until every one succeeds", async () => {
    const waits: number[] = [];
    const costs: QueryCost[] = [];
    const api = createAdminApi(await adminGraphql(), {
      sleep: async (ms) => {
        waits.push(ms);
        clockMs += ms;
      },
      onCost: (_operation, cost) => costs.push(cost),
    });

    const pages = await Promise.all(Array.from({ length: 40 }, () => api.request<{ customers: { nodes: { id: string }[] } }>(CUSTOMER_PAGE)));

    expect(pages.every((page) => page.customers.nodes.length === shop.customers().length)).toBe(true);
    expect(waits.length).toBeGreaterThan(0);
    // Each wait is what the bucket lacked at 100 points/s: never more than a full request's worth.
    expect(Math.max(...waits)).toBeLessThanOrEqual(Math.ceil((202 / 100) * 1000));
    expect(costs).toHaveLength(40);
    expect(costs[0]).toMatchObject({ requestedQueryCost: 202, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
  });

  it("with a reserve, waits after each request until that share of the bucket is back, so others are never starved", async () => {
    clockMs += 60_000; // a full bucket
    const lowest: number[] = [];
    const api = createAdminApi(await adminGraphql(), {
      sleep: async (ms) => void (clockMs += ms),
      onCost: (_operation, cost) => lowest.push(cost.throttleStatus.currentlyAvailable),
      reserveShare: 0.3,
    });
    for (let page = 0; page < 20; page += 1) await api.request(CUSTOMER_PAGE);

    // Sequential requests never take the bucket below the reserve (600 of 2,000) by more than one request's cost.
    expect(Math.min(...lowest)).toBeGreaterThanOrEqual(600 - 202);
    const interactive = createAdminApi(await adminGraphql(), { sleep: async () => expect.fail("an interactive request had to wait") });
    await interactive.request(CUSTOMER_PAGE);
  });

  it("turns a mutation's userErrors into AdminApiUserErrors with Shopify's messages", async () => {
    const api = createAdminApi(await adminGraphql());
    const data = await api.request<{ segmentCreate: { segment: null; userErrors: { field: string[]; message: string }[] } }>(
      `#graphql
        mutation SandboxBadSegment {
          segmentCreate(name: "Broken", query: "customer_tags CONTAINS") { segment { id } userErrors { field message } }
        }
      `,
    );
    expect(() => assertNoUserErrors("segmentCreate", data.segmentCreate)).toThrow(AdminApiUserErrors);
  });

  it("raises AdminApiError for a document Shopify rejects", async () => {
    const api = createAdminApi(await adminGraphql());
    const rejected = api.request(`#graphql\n query SandboxBad { shop { notAField } }`);
    await expect(rejected).rejects.toThrow(AdminApiError);
    await expect(rejected).rejects.not.toThrow(AdminApiInvalidArgumentsError);
  });

  it("raises AdminApiInvalidArgumentsError, with Shopify's reason, when Shopify refuses an id: not a global id, or another type's", async () => {
    const api = createAdminApi(await adminGraphql());
    const ORDER = `#graphql\n query SandboxOrder($id: ID!) { order(id: $id) { id } }`;
    const CUSTOMER = `#graphql\n query SandboxCustomer($id: ID!) { customer(id: $id) { id } }`;
    const notAGid = api.request(ORDER, { id: "820982911946154508" });
    await expect(notAGid).rejects.toThrow(AdminApiInvalidArgumentsError);
    await expect(notAGid).rejects.toThrow("SandboxOrder: Invalid global id '820982911946154508'");
    await expect(api.request(CUSTOMER, { id: "gid://shopify/Order/1" })).rejects.toThrow(AdminApiInvalidArgumentsError);
    // An id Shopify does not hold is no refusal: the answer is null.
    expect(await api.request(ORDER, { id: "gid://shopify/Order/820982911946154508" })).toEqual({ order: null });
  });
});
