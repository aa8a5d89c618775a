import { randomUUID } from "node:crypto";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { messagesFor, SUPPORTED_LOCALES } from "~/i18n/i18n";
import { parseLoyaltySettingsForm } from "~/loyalty-models/settings-form";
import { action, loader } from "~/routes/app.loyalty";
import { action as redeem } from "~/routes/proxy.redeem";
import { adjustPoints } from "~/loyalty-models/ledger.server";
import { action as webhookAction } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { BROWSER_USER_AGENT } from "../support/install";
import { testWorker } from "../support/worker";
import { importStoreOnce } from "../sync/support";
import { proxyRequest } from "../support/proxy";
import { appInstallationLegacyId } from "@lifecycle/shopify-sandbox";

const { sandbox, shop } = installTestSandbox({ customers: 25, seed: 17 });
routeWebhooksToApp(webhookAction);

const signed = (init?: RequestInit) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app/loyalty`, { ...init, headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );
const post = async (form: Record<string, string>) =>
  action({ request: await signed({ method: "POST", body: new URLSearchParams(form) }), params: {}, context: {} });

importStoreOnce(sandbox, shop);
let form: Record<string, string>;
beforeEach(async () => {
  const data = await loader({ request: await signed(), params: {}, context: {} });
  form = { ...Object.fromEntries(Object.entries(data.values).map(([key, value]) => [key, String(value)])), enabled: data.values.enabled ? "on" : "" };
});

const orderPaid = (customerId: number) =>
  shop.createOrder({ customerId, paid: true, lineItems: [{ title: "Wool socks", sku: "SOCKS-1", quantity: 2, price: "30.00" }] });
const pointsEntries = () => prisma.pointsEntry.count({ where: { shop: TEST_SHOP, source: "order" } });
const deliverAndSettle = async () => {
  await sandbox.webhooks(TEST_SHOP).flush();
  await testWorker().runUntilIdle();
};
const redeemAs = async (customerId: string) =>
  redeem({ request: await proxyRequest(`redeem?idempotency_key=${randomUUID()}`, { customerId, method: "POST" }), params: {}, context: {} });
/** The storefront preview's page for a logged-in customer, as the sandbox renders our theme extension. */
const storefrontPage = async (customerId: number) => (await sandbox.handle(new Request(`${sandbox.storefrontUrl(TEST_SHOP)}/${customerId}`))).text();
/** The app-data metafield the theme's `available_if` reads, as Shopify holds it. */
const programmeMetafield = () =>
  shop.metafieldsOf("API_PERMISSION", appInstallationLegacyId(shop.info)).find((field) => field.namespace === "loyalty" && field.key === "enabled");

describe("loyalty programme settings", () => {
  it("shows the programme's rules, the reward in the shop currency and today as its start", async () => {
    const data = await loader({ request: await signed(), params: {}, context: {} });
    expect(data.values).toMatchObject({
      enabled: false,
      pointsPerUnit: "1",
      basis: "subtotal",
      expiryMonths: "",
      pointsPerReward: "500",
      rewardValue: "5.00",
      referrerPoints: "500",
    });
    expect(data.values.earnSince).toBe(new Date().toISOString().slice(0, 10));
    expect(data.outstanding).toEqual({ available: 0, pending: 0, customers: 0 });
  });

  it("is off until the merchant turns it on: orders earn nothing, /redeem refuses, the storefront shows no block", async () => {
    const customer = shop.customers()[0]!;
    const data = await loader({ request: await signed(), params: {}, context: {} });
    expect(data.values.enabled).toBe(false);
    orderPaid(customer.id);
    await deliverAndSettle();
    expect(await pointsEntries()).toBe(0);

    await adjustPoints(prisma, TEST_SHOP, String(customer.id), 600, "Goodwill", "goodwill-off", new Date());
    const refused = await redeemAs(String(customer.id));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "programme_off" });
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP } })).toBe(0);

    expect(programmeMetafield()).toBeUndefined();
    const page = await storefrontPage(customer.id);
    expect(page).toContain("data-visitor");
    expect(page).not.toContain("data-lifecycle-loyalty");
    expect(page).not.toContain("loyalty.js");
  });

  it("has safe defaults: points pending through a 14-day return window, referrals paying from a 20.00 order", async () => {
    const data = await loader({ request: await signed(), params: {}, context: {} });
    expect(data.values).toMatchObject({ pendingDays: "14", referralMinOrder: "20.00" });
  });

  it("turns on from the onboarding: orders from then on earn, the theme shows the block, /redeem serves", async () => {
    const before = Date.now();
    expect(await post({ intent: "turn-on" })).toEqual({ turnedOn: true });
    const settings = await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(settings.enabled).toBe(true);
    // The programme starts now: earlier orders (the one bought while it was off) earn nothing.
    expect(settings.earnSince.getTime()).toBeGreaterThanOrEqual(before - 1000);
    await testWorker().runUntilIdle();
    expect(programmeMetafield()).toMatchObject({ type: "boolean", value: "true" });

    const customer = shop.customers()[0]!;
    const page = await storefrontPage(customer.id);
    expect(page).toContain("data-lifecycle-loyalty");
    expect(page).toContain("loyalty.js");
    orderPaid(customer.id);
    await deliverAndSettle();
    expect(await pointsEntries()).toBe(1);
    expect((await redeemAs(String(customer.id))).status).toBe(200);
  });

  it("turns off from the form: the theme hides the block and /redeem refuses again", async () => {
    const data = await loader({ request: await signed(), params: {}, context: {} });
    expect(data.values.enabled).toBe(true);
    expect(await post({ ...form, enabled: "" })).toEqual({ saved: true, awarding: false });
    expect((await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).enabled).toBe(false);
    await testWorker().runUntilIdle();
    expect(programmeMetafield()).toMatchObject({ type: "boolean", value: "false" });
    expect(await storefrontPage(shop.customers()[0]!.id)).not.toContain("data-lifecycle-loyalty");
    expect((await redeemAs(String(shop.customers()[0]!.id))).status).toBe(403);

    // A form saved while off never turns it on: that is the onboarding's.
    expect(await post({ ...form, enabled: "on" })).toMatchObject({ saved: true });
    expect((await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).enabled).toBe(false);
    expect(await post({ intent: "turn-on" })).toEqual({ turnedOn: true });
  });

  it("saves new rules, and awards the past orders when the start moves back — each once", async () => {
    expect(await post({ ...form, pointsPerUnit: "2", rewardValue: "7.5", expiryMonths: "12", earnSince: "2000-01-01" })).toEqual({
      saved: true,
      awarding: true,
    });
    expect(await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({
      pointsPerUnit: 2,
      rewardValueMinor: 750,
      expiryMonths: 12,
      earnSince: new Date("2000-01-01T00:00:00Z"),
    });
    await testWorker().runUntilIdle();
    const earned = await prisma.pointsEntry.count({ where: { shop: TEST_SHOP, kind: "earn" } });
    expect(earned).toBeGreaterThan(10);
    const data = await loader({ request: await signed(), params: {}, context: {} });
    expect(data.outstanding.available).toBeGreaterThan(0);

    // Saving again with the same start awards nothing more.
    expect(await post({ ...data.values, enabled: "on", expiryMonths: "12", earnSince: "2000-01-01" } as Record<string, string>)).toEqual({
      saved: true,
      awarding: false,
    });
    await testWorker().runUntilIdle();
    expect(await prisma.pointsEntry.count({ where: { shop: TEST_SHOP, kind: "earn" } })).toBe(earned);
  });

  it.each([
    [{ pointsPerUnit: "0" }, "pointsPerUnit", "loyalty.errors.pointsPerUnit"],
    [{ basis: "tax" }, "basis", "loyalty.errors.basis"],
    [{ pendingDays: "2.5" }, "pendingDays", "loyalty.errors.pendingDays"],
    [{ expiryMonths: "0" }, "expiryMonths", "loyalty.errors.expiryMonths"],
    [{ pointsPerReward: "" }, "pointsPerReward", "loyalty.errors.pointsPerReward"],
    [{ rewardValue: "-5" }, "rewardValue", "loyalty.errors.rewardValue"],
    [{ friendDiscountPercent: "150" }, "friendDiscountPercent", "loyalty.errors.friendDiscountPercent"],
    [{ referralMinOrder: "-1" }, "referralMinOrder", "loyalty.errors.referralMinOrder"],
    [{ referralMinOrder: "a lot" }, "referralMinOrder", "loyalty.errors.referralMinOrder"],
    [{ earnSince: "yesterday" }, "earnSince", "loyalty.errors.earnSince"],
  ])("refuses %j with an error on %s and saves nothing", async (change, field, message) => {
    const before = await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    const response = (await post({ ...form, ...change })) as Response;
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toMatchObject({ [field]: message });
    expect(await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toEqual(before);
  });

  it("saves the referral minimum in the shop currency's minor units, and shows it back", async () => {
    expect(await post({ ...form, referralMinOrder: "35.5" })).toEqual({ saved: true, awarding: false });
    expect((await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).referralMinOrderMinor).toBe(3550);
    expect((await loader({ request: await signed(), params: {}, context: {} })).values.referralMinOrder).toBe("35.50");
  });

  it("gives every error a message in the catalogs", () => {
    const parsed = parseLoyaltySettingsForm({});
    if (!("errors" in parsed)) throw new Error("an empty form was accepted");
    for (const key of Object.values(parsed.errors)) for (const locale of SUPPORTED_LOCALES) expect(messagesFor(locale)[key]).toBeTruthy();
  });
});
