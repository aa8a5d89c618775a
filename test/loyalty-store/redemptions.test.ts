import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { createAdminApi } from "~/admin-api/client.server";
import prisma from "~/db.server";
import { adjustPoints } from "~/loyalty-store/ledger.server";
import { createCustomerDiscountCode } from "~/admin-api/discounts.server";
import { redeemPoints, RedemptionFailedError, reservePoints, rewardTitle } from "~/loyalty-store/redemptions.server";
import { InsufficientPointsError } from "~/loyalty/points";
import { unauthenticated } from "~/shopify.server";
import { installTestSandbox } from "../sandbox/testing";
import { mswServer } from "../setup/msw";
import { openAppAsMerchant } from "../support/install";
import { testWorker } from "../support/worker";

const { shop } = installTestSandbox({ customers: 8, seed: 12 });
const api = async () => createAdminApi((await unauthenticated.admin(TEST_SHOP)).admin.graphql);
const balance = async (customerId: string) => prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId } } });
const ourCodes = () => shop.discountCodes().filter((discount) => discount.code.startsWith("REWARD-"));

let customerId: string;
let seq = 0;
beforeEach(async () => {
  await openAppAsMerchant();
  customerId = String(shop.customers()[seq++ % shop.customers().length]!.id);
  await prisma.loyaltySettings.upsert({ where: { shop: TEST_SHOP }, create: { shop: TEST_SHOP }, update: {} });
  await adjustPoints(prisma, TEST_SHOP, customerId, 600, "Welcome bonus", `welcome-${customerId}`, new Date());
});

describe("redeeming points", () => {
  it("turns one reward's points into a single-use code for that customer alone", async () => {
    const before = ourCodes().length;
    const redemption = await redeemPoints(prisma, await api(), TEST_SHOP, customerId, new Date());
    expect(redemption).toMatchObject({ status: "issued", points: 500, valueMinor: 500 });
    expect((await balance(customerId)).available).toBe(100);
    const created = ourCodes().slice(before);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ code: redemption.code, customerIds: [Number(customerId)], value: { amount: "5.00" }, usageLimit: 1 });
  });

  it("refuses when the spendable balance is short, and takes nothing", async () => {
    await redeemPoints(prisma, await api(), TEST_SHOP, customerId, new Date());
    await expect(redeemPoints(prisma, await api(), TEST_SHOP, customerId, new Date())).rejects.toThrow(InsufficientPointsError);
    expect((await balance(customerId)).available).toBe(100);
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP, customerId } })).toBe(1);
  });

  it("never overspends when two redemptions arrive at once", async () => {
    const before = ourCodes().length;
    const client = await api();
    const results = await Promise.allSettled([
      redeemPoints(prisma, client, TEST_SHOP, customerId, new Date()),
      redeemPoints(prisma, client, TEST_SHOP, customerId, new Date()),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(InsufficientPointsError);
    expect((await balance(customerId)).available).toBe(100);
    expect(ourCodes().length).toBe(before + 1);
  });

  it("gives the points back when Shopify refuses the code", async () => {
    // A code the merchant already uses for another discount.
    const taken = "REWARD-MERCHANTS";
    await createCustomerDiscountCode(await api(), {
      title: "Spring sale",
      code: taken,
      customerGid: `gid://shopify/Customer/${shop.customers()[7]!.id}`,
      amount: "10.00",
      startsAt: new Date(),
    });
    const attempt = redeemPoints(prisma, await api(), TEST_SHOP, customerId, new Date(), taken);
    await expect(attempt).rejects.toThrow(RedemptionFailedError);
    expect((await balance(customerId)).available).toBe(600);
    const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop: TEST_SHOP, customerId }, orderBy: { id: "desc" } });
    expect(redemption).toMatchObject({ status: "failed", code: taken });
    expect(redemption.lastError).toBeTruthy();
    const entries = await prisma.pointsEntry.findMany({ where: { shop: TEST_SHOP, customerId, source: "redemption" }, orderBy: { id: "asc" } });
    expect(entries.map((entry) => [entry.kind, entry.points])).toEqual([
      ["redeem", -500],
      ["restore", 500],
    ]);
  });

  it("gives the points back when Shopify answers the creation with userErrors", async () => {
    mswServer.use(
      http.post(`https://${TEST_SHOP}/admin/api/:version/graphql.json`, async ({ request }) => {
        const body = (await request.clone().json()) as { query: string };
        if (!body.query.includes("LoyaltyDiscountCreate")) return undefined;
        return HttpResponse.json({
          data: {
            discountCodeBasicCreate: {
              codeDiscountNode: null,
              userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique.", code: "TAKEN" }],
            },
          },
        });
      }),
    );
    await expect(redeemPoints(prisma, await api(), TEST_SHOP, customerId, new Date())).rejects.toThrow(/Code must be unique/);
    expect((await balance(customerId)).available).toBe(600);
  });

  it("finishes a redemption whose process died before the code was confirmed, without a second code", async () => {
    const now = new Date();
    const pending = await reservePoints(prisma, TEST_SHOP, customerId, "REWARD-AFTERCRASH1", now);
    const before = ourCodes().length;
    await testWorker({ now: () => new Date(now.getTime() + 5 * 60_000) }).runUntilIdle();
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: "issued" });
    expect(ourCodes().length).toBe(before + 1);

    // Had the code been created just before the crash, the job recognises it instead of making another.
    await adjustPoints(prisma, TEST_SHOP, customerId, 500, "Top-up", `top-up-${customerId}`, now);
    const created = await reservePoints(prisma, TEST_SHOP, customerId, "REWARD-AFTERCRASH2", now);
    await createCustomerDiscountCode(await api(), {
      title: rewardTitle(created),
      code: created.code,
      customerGid: `gid://shopify/Customer/${customerId}`,
      amount: "5.00",
      startsAt: now,
    });
    const codes = ourCodes().length;
    await testWorker({ now: () => new Date(now.getTime() + 5 * 60_000) }).runUntilIdle();
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "issued" });
    expect(ourCodes().length).toBe(codes);
  });
});
