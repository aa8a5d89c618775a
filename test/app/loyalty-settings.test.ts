import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { messagesFor, SUPPORTED_LOCALES } from "~/i18n/i18n";
import { parseLoyaltySettingsForm } from "~/loyalty-store/settings-form";
import { action, loader } from "~/routes/app.loyalty";
import { action as webhookAction } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../sandbox/testing";
import { BROWSER_USER_AGENT } from "../support/install";
import { testWorker } from "../support/worker";
import { importStoreOnce } from "../sync/support";

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

describe("loyalty programme settings", () => {
  it("shows the programme's rules, the reward in the shop currency and today as its start", async () => {
    const data = await loader({ request: await signed(), params: {}, context: {} });
    expect(data.values).toMatchObject({
      enabled: true,
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
    [{ earnSince: "yesterday" }, "earnSince", "loyalty.errors.earnSince"],
  ])("refuses %j with an error on %s and saves nothing", async (change, field, message) => {
    const before = await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    const response = (await post({ ...form, ...change })) as Response;
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toMatchObject({ [field]: message });
    expect(await prisma.loyaltySettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toEqual(before);
  });

  it("gives every error a message in the catalogs", () => {
    const parsed = parseLoyaltySettingsForm({});
    if (!("errors" in parsed)) throw new Error("an empty form was accepted");
    for (const key of Object.values(parsed.errors)) for (const locale of SUPPORTED_LOCALES) expect(messagesFor(locale)[key]).toBeTruthy();
  });
});
