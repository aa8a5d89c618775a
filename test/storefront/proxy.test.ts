import { randomUUID } from "node:crypto";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { adjustPoints } from "~/loyalty-models/ledger.server";
import { action as redeem } from "~/routes/proxy.redeem";
import { installTestSandbox } from "../support/sandbox";
import { mswServer } from "../setup/msw";
import { openAppAsMerchant } from "../support/install";
import { proxyRequest, signProxyParams } from "../support/proxy";

const { shop } = installTestSandbox({ customers: 6, seed: 14 });
const [alice, bob] = [String(shop.customers()[0]!.id), String(shop.customers()[1]!.id)];

// What the block's script sends with each redemption it asks for.
const newKey = () => randomUUID();

const call = async (route: typeof redeem, request: Request) => {
  try {
    return await route({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
};

beforeEach(async () => {
  await openAppAsMerchant();
  // The merchant has turned the programme on.
  await prisma.loyaltySettings.upsert({ where: { shop: TEST_SHOP }, create: { shop: TEST_SHOP, enabled: true }, update: { enabled: true } });
  await adjustPoints(prisma, TEST_SHOP, alice, 700, "Welcome", "welcome-alice", new Date());
  await adjustPoints(prisma, TEST_SHOP, bob, 40, "Welcome", "welcome-bob", new Date());
});

describe("App Proxy", () => {
  // The signature checks, on the App Proxy's one route: a request that fails them spends nothing.
  it("refuses a tampered signature: another customer's id swapped in after signing", async () => {
    const signed = new URL((await proxyRequest(`redeem?idempotency_key=${newKey()}`, { customerId: bob, method: "POST" })).url);
    signed.searchParams.set("logged_in_customer_id", alice);
    const response = await call(redeem, new Request(signed, { method: "POST" }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_signature" });
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP, customerId: alice } })).toBe(0);
  });

  it("refuses a request without a signature", async () => {
    const url = new URL(`${APP_URL}/proxy/redeem`);
    url.searchParams.set("shop", TEST_SHOP);
    url.searchParams.set("logged_in_customer_id", alice);
    url.searchParams.set("timestamp", String(Math.trunc(Date.now() / 1000)));
    url.searchParams.set("idempotency_key", newKey());
    expect((await call(redeem, new Request(url, { method: "POST" }))).status).toBe(401);
  });

  it("refuses a stale signature (a replayed link)", async () => {
    const signedRequest = (params: Record<string, string>) => {
      const url = new URL(`${APP_URL}/proxy/redeem`);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      url.searchParams.set("signature", signProxyParams(params));
      return new Request(url, { method: "POST" });
    };
    // A customer of their own, so the redemption that passes leaves the other tests' balances alone.
    const carol = String(shop.customers()[5]!.id);
    await adjustPoints(prisma, TEST_SHOP, carol, 700, "Welcome", "welcome-carol", new Date());
    const params = {
      shop: TEST_SHOP,
      logged_in_customer_id: carol,
      path_prefix: "/apps/lifecycle",
      idempotency_key: newKey(),
      timestamp: String(Math.trunc(Date.now() / 1000) - 600),
    };
    expect((await call(redeem, signedRequest(params))).status).toBe(401);
    // The same parameters signed now pass: it was the age that was refused.
    const fresh = { ...params, timestamp: String(Math.trunc(Date.now() / 1000)) };
    expect((await call(redeem, signedRequest(fresh))).status).toBe(200);
  });

  it("never serves another customer's data, whatever else the request names", async () => {
    const request = await proxyRequest(`redeem?idempotency_key=${newKey()}&customer_id=${alice}`, { customerId: bob, method: "POST" });
    const response = await call(redeem, request);
    // Bob's 40 points, not Alice's 700.
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: "not_enough_points" });
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP, customerId: alice } })).toBe(0);
  });

  it("redeems for the logged-in customer only, and refuses what they cannot afford", async () => {
    const response = await call(redeem, await proxyRequest(`redeem?idempotency_key=${newKey()}`, { customerId: alice, method: "POST" }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { code: string; points: number };
    expect(body).toMatchObject({ points: 200, value_minor: 500 });
    expect(shop.discountCodes().find((discount) => discount.code === body.code)?.customerIds).toEqual([Number(alice)]);

    const short = await call(redeem, await proxyRequest(`redeem?idempotency_key=${newKey()}`, { customerId: bob, method: "POST" }));
    expect(short.status).toBe(409);
    expect(await short.json()).toEqual({ error: "not_enough_points" });
    expect((await call(redeem, await proxyRequest(`redeem?idempotency_key=${newKey()}`, { method: "POST" }))).status).toBe(401);
  });

  describe("an idempotency key per redemption", () => {
    const redeemWith = async (customerId: string, key: string | null) =>
      call(redeem, await proxyRequest(key === null ? "redeem" : `redeem?idempotency_key=${key}`, { customerId, method: "POST" }));
    const withPoints = async (index: number) => {
      const customerId = String(shop.customers()[index]!.id);
      await adjustPoints(prisma, TEST_SHOP, customerId, 1_200, "Welcome", `welcome-${customerId}`, new Date());
      return customerId;
    };

    it("answers the same key again with the same code, spending once", async () => {
      const customerId = await withPoints(2);
      const key = newKey();
      const first = await redeemWith(customerId, key);
      const again = await redeemWith(customerId, key);
      expect([first.status, again.status]).toEqual([200, 200]);
      const [a, b] = (await Promise.all([first.json(), again.json()])) as { code: string; points: number }[];
      expect(b).toEqual(a);
      expect(a!.points).toBe(700);
      expect(await prisma.redemption.count({ where: { shop: TEST_SHOP, customerId } })).toBe(1);
      // A new key is a new redemption.
      expect(await (await redeemWith(customerId, newKey())).json()).toMatchObject({ points: 200 });
    });

    it("answers a key sent twice at once with one redemption and one code", async () => {
      const customerId = await withPoints(3);
      let arrive = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      let creations = 0;
      mswServer.use(
        http.post(`https://${TEST_SHOP}/admin/api/:version/graphql.json`, async ({ request }) => {
          if (!((await request.clone().json()) as { query: string }).query.includes("LoyaltyDiscountCreate")) return undefined;
          creations += 1;
          arrive();
          await released;
          return undefined;
        }),
      );
      const key = newKey();
      const first = redeemWith(customerId, key);
      await arrived;
      // The shopper's browser sends it again (a double click, a retry) while the first is with Shopify.
      const second = redeemWith(customerId, key);
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      const responses = await Promise.all([first, second]);
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      const [a, b] = (await Promise.all(responses.map((response) => response.json()))) as { code: string; points: number }[];
      expect(b!.code).toBe(a!.code);
      expect(creations).toBe(1);
      expect(shop.discountCodes().filter((discount) => discount.code === a!.code)).toHaveLength(1);
      expect(await prisma.redemption.count({ where: { shop: TEST_SHOP, customerId } })).toBe(1);
      expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId } } })).available).toBe(700);
    });

    it("refuses a redemption without a key, and spends nothing", async () => {
      const customerId = await withPoints(4);
      const response = await redeemWith(customerId, null);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "idempotency_key_required" });
      expect(await prisma.redemption.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
    });
  });
});
