import { describe, expect, it } from "vitest";
import { createTestShop } from "./test-support";
import { LeakyBucket, LeakyBuckets } from "./throttle";

const SAMPLE = `query Sample {
  shop { name }
  customers(first: 10) {
    edges {
      cursor
      node {
        id
        defaultAddress { city }
        orders(first: 5) { nodes { id totalPriceSet { shopMoney { amount } } } }
      }
    }
    pageInfo { hasNextPage }
  }
}`;

describe("query cost", () => {
  it("computes the requested cost by Shopify's rules and charges the actual cost", async () => {
    const t = createTestShop();
    const { body } = await t.gql(SAMPLE);
    expect(body.errors).toBeUndefined();
    // shop 1 + customers (2 + 10 × (node 1 + defaultAddress 1 + orders (2 + 5 × (node 1 + MoneyBag 1 + MoneyV2 1))))
    // actual: shop 1 + customers (2 + Anna (1 + 1 + 2 + 3 × 3) + Ben (1 + 1 + 2 + 3) + Cara (1 + 1 + 2))
    expect(body.extensions?.cost).toEqual({
      requestedQueryCost: 193,
      actualQueryCost: 27,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1973, restoreRate: 100 },
    });
  });

  it("charges 10 per mutation field", async () => {
    const t = createTestShop();
    const { body } = await t.gql(`mutation {
      a: segmentCreate(name: "A", query: "number_of_orders >= 1") { segment { id } userErrors { message } }
      b: segmentCreate(name: "B", query: "number_of_orders >= 2") { segment { id } userErrors { message } }
    }`);
    expect(body.extensions?.cost).toMatchObject({ requestedQueryCost: 20, actualQueryCost: 20 });
  });

  it("refuses a query over 1,000 points before running it", async () => {
    const t = createTestShop();
    const { status, body } = await t.gql(`{ customers(first: 250) { edges { node { orders(first: 10) { edges { node { id } } } } } } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/^Query cost is 3252, which exceeds the single query max cost limit \(1000\)\./);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 3252, maxCost: 1000 });
    expect(body.extensions?.cost).toEqual({
      requestedQueryCost: 3252,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 },
    });
  });
});

describe("throttling", () => {
  it("answers THROTTLED while the bucket lacks the requested cost, and runs once it has refilled", async () => {
    const t = createTestShop();
    const query = `{ customers(first: 250) { edges { node { id } } } }`;
    expect(t.context.bucket.tryTake(1990, t.time.now)).toBe(true);

    const throttled = await t.gql(query);
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: {
        cost: { requestedQueryCost: 252, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 10, restoreRate: 100 } },
      },
    });

    t.time.now += 2000; // +200 points: still short of 252
    expect((await t.gql(query)).body.errors?.[0]?.extensions?.code).toBe("THROTTLED");
    t.time.now += 500;
    const ok = await t.gql(query);
    expect(ok.body.errors).toBeUndefined();
    // 260 available, 252 taken, 247 refunded (actual: 2 + 3 customers).
    expect(ok.body.extensions?.cost).toMatchObject({ requestedQueryCost: 252, actualQueryCost: 5, throttleStatus: { currentlyAvailable: 255 } });
  });

  it("restores by plan and keeps one bucket per shop and app", () => {
    let now = 0;
    const buckets = new LeakyBuckets({ now: () => now });
    const plus = buckets.bucketFor("big.myshopify.com", "1", "PLUS");
    expect(plus.restoreRate).toBe(1000);
    expect(buckets.bucketFor("big.myshopify.com", "1", "PLUS")).toBe(plus);
    expect(buckets.bucketFor("big.myshopify.com", "2", "PLUS")).not.toBe(plus);
    expect(LeakyBucket.forPlan("ADVANCED").restoreRate).toBe(200);
    expect(plus.tryTake(2000)).toBe(true);
    now += 1500;
    expect(plus.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 1500, restoreRate: 1000 });
    now += 10_000;
    expect(plus.status().currentlyAvailable).toBe(2000);
  });
});
