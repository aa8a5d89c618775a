import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { createAdminApi, type AdminApiOptions } from "~/admin-api/client.server";
import prisma from "~/db.server";
import { adjustPoints } from "~/loyalty-models/ledger.server";
import { createCustomerDiscountCode } from "~/admin-api/discounts.server";
import { redeemPoints, RedemptionFailedError, RedemptionPendingError, reservePoints, rewardTitle } from "~/loyalty-models/redemptions.server";
import { InsufficientPointsError } from "~/loyalty/points";
import { unauthenticated } from "~/shopify.server";
import { installTestSandbox } from "../support/sandbox";
import { mswServer } from "../setup/msw";
import { openAppAsMerchant } from "../support/install";
import { testWorker } from "../support/worker";

const { sandbox, shop } = installTestSandbox({ customers: 16, seed: 12 });
const api = async (options: AdminApiOptions = {}) => createAdminApi((await unauthenticated.admin(TEST_SHOP)).admin.graphql, options);
const balance = async (customerId: string) => prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId } } });
const ourCodes = () => shop.discountCodes().filter((discount) => discount.code.startsWith("REWARD-"));

let customerId: string;
let seq = 0;
beforeEach(async () => {
  await openAppAsMerchant();
  customerId = String(shop.customers()[seq++ % shop.customers().length]!.id);
  // The merchant has turned the programme on.
  await prisma.loyaltySettings.upsert({ where: { shop: TEST_SHOP }, create: { shop: TEST_SHOP, enabled: true }, update: { enabled: true } });
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

  it("never overspends when the later clock takes the customer's lock first", async () => {
    // What a loaded machine does to two redemptions at once: read the clock, then wait for the lock.
    const earlier = new Date();
    const later = new Date(earlier.getTime() + 5);
    await reservePoints(prisma, TEST_SHOP, customerId, "REWARD-LATERCLOCK", later);
    await expect(reservePoints(prisma, TEST_SHOP, customerId, "REWARD-EARLIERCLOCK", earlier)).rejects.toThrow(InsufficientPointsError);
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP, customerId } })).toBe(1);
    // The recovery job issues the one reservation, as it would after a crash; nothing is left for the next test.
    await testWorker({ now: () => new Date(later.getTime() + 5 * 60_000) }).runUntilIdle();
    expect(await prisma.redemption.findFirstOrThrow({ where: { shop: TEST_SHOP, customerId } })).toMatchObject({ status: "issued", code: "REWARD-LATERCLOCK" });
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
    const attempt = redeemPoints(prisma, await api(), TEST_SHOP, customerId, new Date(), { code: taken });
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

const GRAPHQL = `https://${TEST_SHOP}/admin/api/:version/graphql.json`;
const isCreation = async (request: Request) => ((await request.clone().json()) as { query: string }).query.includes("LoyaltyDiscountCreate");
const redemptionEntries = async (customerId: string) =>
  (await prisma.pointsEntry.findMany({ where: { shop: TEST_SHOP, customerId, source: "redemption" }, orderBy: { id: "asc" } })).map((entry) => [entry.kind, entry.points]);

/** Holds the first discount creation on its way to Shopify until released; later ones pass. */
function pauseFirstCreation() {
  let arrive = () => {};
  let release = () => {};
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let creations = 0;
  mswServer.use(
    http.post(GRAPHQL, async ({ request }) => {
      if (!(await isCreation(request))) return undefined;
      creations += 1;
      if (creations === 1) {
        arrive();
        await released;
      }
      return undefined;
    }),
  );
  return { arrived, release, creations: () => creations };
}

describe("the request and the recovery job never make the same redemption at once", () => {
  it("leaves a redemption alone while the request is still waiting for Shopify, and finishes with one code and one spend", async () => {
    const now = new Date();
    const shopify = pauseFirstCreation();
    const inRequest = redeemPoints(prisma, await api(), TEST_SHOP, customerId, now, { idempotencyKey: `race-${customerId}-0001` });
    try {
      await shopify.arrived;
      // The recovery job's time comes while the request's creation is still on its way.
      await testWorker({ now: () => new Date(now.getTime() + 3 * 60_000) }).runUntilIdle();
      expect(shopify.creations()).toBe(1);
    } finally {
      shopify.release();
    }
    const redemption = await inRequest;
    expect(redemption.status).toBe("issued");
    // Later the job looks again, and finds nothing left to do.
    await testWorker({ now: () => new Date(now.getTime() + 30 * 60_000) }).runUntilIdle();
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "issued", lockedBy: null });
    expect(shop.discountCodes().filter((discount) => discount.code === redemption.code)).toHaveLength(1);
    expect((await balance(customerId)).available).toBe(100);
    expect(await redemptionEntries(customerId)).toEqual([["redeem", -500]]);
  });

  it("waits out the lock of a request that died holding the redemption, then finishes it", async () => {
    const now = new Date();
    const orphan = await reservePoints(prisma, TEST_SHOP, customerId, `REWARD-ORPHAN${seq}`, now, { holder: "a-request-that-died" });
    await testWorker({ now: () => new Date(now.getTime() + 3 * 60_000) }).runUntilIdle();
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({ status: "pending", lockedBy: "a-request-that-died" });
    expect(shop.discountCodes().some((discount) => discount.code === orphan.code)).toBe(false);

    await testWorker({ now: () => new Date(now.getTime() + 11 * 60_000) }).runUntilIdle();
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: orphan.id } })).toMatchObject({ status: "issued", lockedBy: null });
    expect(shop.discountCodes().filter((discount) => discount.code === orphan.code)).toHaveLength(1);
    expect((await balance(customerId)).available).toBe(100);
  });

  it("gives no points back while Shopify holds the code: a creation whose answer was lost is found on the retry", async () => {
    let lost = false;
    mswServer.use(
      http.post(GRAPHQL, async ({ request }) => {
        if (lost || !(await isCreation(request))) return undefined;
        lost = true;
        // Shopify makes the code, and its answer never arrives.
        await sandbox.handle(request.clone());
        return HttpResponse.error();
      }),
    );
    const redemption = await redeemPoints(prisma, await api({ sleep: async () => {} }), TEST_SHOP, customerId, new Date());
    expect(lost).toBe(true);
    expect(redemption.status).toBe("issued");
    expect(shop.discountCodes().filter((discount) => discount.code === redemption.code)).toHaveLength(1);
    expect((await balance(customerId)).available).toBe(100);
    expect(await redemptionEntries(customerId)).toEqual([["redeem", -500]]);
  });

  it("keeps the points reserved while Shopify cannot be asked, and the job makes the code once it can", async () => {
    let down = true;
    mswServer.use(http.post(GRAPHQL, () => (down ? HttpResponse.error() : undefined)));
    const now = new Date();
    await expect(redeemPoints(prisma, await api({ sleep: async () => {} }), TEST_SHOP, customerId, now)).rejects.toThrow(RedemptionPendingError);
    const pending = await prisma.redemption.findFirstOrThrow({ where: { shop: TEST_SHOP, customerId }, orderBy: { id: "desc" } });
    expect(pending).toMatchObject({ status: "pending", lockedBy: null });
    expect((await balance(customerId)).available).toBe(100);

    down = false;
    await testWorker({ now: () => new Date(now.getTime() + 5 * 60_000) }).runUntilIdle();
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: "issued" });
    expect(shop.discountCodes().filter((discount) => discount.code === pending.code)).toHaveLength(1);
    expect((await balance(customerId)).available).toBe(100);
    expect(await redemptionEntries(customerId)).toEqual([["redeem", -500]]);
  });
});
