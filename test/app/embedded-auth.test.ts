import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader } from "~/routes/app.sync";
import { sessionStorage } from "~/shopify.server";
import { installTestSandbox } from "../support/sandbox";

// Shopify's libraries answer 410 to anything that looks like a bot.
const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

const { sandbox, shop } = installTestSandbox({ customers: 120, seed: 7 });

const embeddedRequest = (type: RequestType) =>
  setUpValidRequest(
    { type, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app/sync`, { headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );

describe("embedded Sync and health page, against the sandbox store", () => {
  beforeEach(async () => {
    await sessionStorage.deleteSessions((await sessionStorage.findSessionsByShop(TEST_SHOP)).map((session) => session.id));
  });

  it("installs by token exchange and shows the shop's own numbers from the Admin API", async () => {
    const data = await loader({ request: await embeddedRequest(RequestType.Admin), params: {}, context: {} });

    expect(data.overview!.shop.myshopifyDomain).toBe(TEST_SHOP);
    expect(data.overview!.customersCount).toEqual({ count: shop.customers().length, precision: "EXACT" });
    expect(data.overview!.ordersCount).toEqual({ count: shop.orders().length, precision: "EXACT" });

    const session = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now() + 50 * 60 * 1000);
    expect(await prisma.shop.findUnique({ where: { shop: TEST_SHOP } })).toMatchObject({ uninstalledAt: null });
  });

  it("refreshes an expired offline token with its rotating refresh token", async () => {
    await loader({ request: await embeddedRequest(RequestType.Admin), params: {}, context: {} });
    const first = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
    sandbox.oauth.expireAccessTokens();
    const stored = (await sessionStorage.loadSession(first.id))!;
    stored.expires = new Date(Date.now() - 1000);
    await sessionStorage.storeSession(stored);

    const data = await loader({ request: await embeddedRequest(RequestType.Bearer), params: {}, context: {} });

    expect(data.overview!.customersCount?.count).toBe(shop.customers().length);
    const refreshed = await prisma.session.findUniqueOrThrow({ where: { id: first.id } });
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
  });

  it("answers a token Shopify no longer accepts with 401, and the next request installs a fresh one", async () => {
    await loader({ request: await embeddedRequest(RequestType.Admin), params: {}, context: {} });
    sandbox.oauth.expireAccessTokens();

    const outcome = await loader({ request: await embeddedRequest(RequestType.Bearer), params: {}, context: {} }).catch((thrown: unknown) => thrown);

    // shopify-app-remix forwards the 401 (it is not an error page) and forgets the refused token.
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(401);
    expect((await sessionStorage.loadSession(`offline_${TEST_SHOP}`))?.accessToken).toBeFalsy();

    const data = await loader({ request: await embeddedRequest(RequestType.Bearer), params: {}, context: {} });
    expect(data.overview!.customersCount?.count).toBe(shop.customers().length);
  });
});
