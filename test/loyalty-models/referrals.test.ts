import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { markAdvocate } from "~/lifecycle-models/advocates.server";
import { approveReferral, newReferralCode } from "~/loyalty-models/referrals.server";
import { REFERRAL_ATTRIBUTE } from "~/loyalty/referrals";
import type { SandboxAddress } from "@lifecycle/shopify-sandbox";
import { action } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { testWorker } from "../support/worker";
import { runBackfill } from "../sync/support";
import { TEST_ON_POSTGRES } from "../setup/database";

const { sandbox, shop } = installTestSandbox({ customers: 40, seed: 23 });
routeWebhooksToApp(action);

let referrerId = "";
let code = "";

async function settle() {
  for (let round = 0; round < 5; round += 1) {
    await sandbox.webhooks(TEST_SHOP).flush();
    await testWorker().runUntilIdle();
    if (sandbox.webhooks(TEST_SHOP).pending().length === 0) return;
  }
}

const points = async (customerId: string) =>
  (await prisma.loyaltyAccount.findUnique({ where: { shop_customerId: { shop: TEST_SHOP, customerId } } }))?.available ?? 0;
const referralOf = (orderId: number) => prisma.referral.findUniqueOrThrow({ where: { shop_orderId: { shop: TEST_SHOP, orderId: String(orderId) } } });
const buy = (customerId: number, extra: { discountCodes?: string[]; customAttributes?: { key: string; value: string }[] } = {}) =>
  shop.createOrder({ customerId, paid: true, lineItems: [{ title: "Merino scarf", sku: "SCARF-1", quantity: 1, price: "60.00" }], ...extra });

let prepared = false;
beforeEach(async () => {
  if (prepared) return;
  prepared = true;
  await openAppAsMerchant();
  await runBackfill(sandbox, shop);
  // The merchant has turned the programme on, with points spendable at once.
  const rules = { enabled: true, earnSince: new Date(0), pendingDays: 0 };
  await prisma.loyaltySettings.upsert({ where: { shop: TEST_SHOP }, create: { shop: TEST_SHOP, ...rules }, update: rules });
  // The merchant marks a repeat customer as an advocate: they get a referral code.
  const repeat = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP, stage: { in: ["loyal", "developing"] } } });
  referrerId = repeat.customerId;
  await markAdvocate(prisma, TEST_SHOP, referrerId, true);
  await settle();
  code = (await prisma.referralCode.findUniqueOrThrow({ where: { shop_customerId: { shop: TEST_SHOP, customerId: referrerId } } })).code;
});

describe("referrals", () => {
  it("gives an advocate a code, a Shopify discount for friends, and the link on their storefront summary", async () => {
    expect(code).toMatch(/^[A-Z]+-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(shop.discountCodes().find((discount) => discount.code === code)).toMatchObject({
      customerIds: [],
      value: { percentage: 0.1 },
      appliesOncePerCustomer: true,
    });
    const summary = shop.metafieldsOf("CUSTOMER", Number(referrerId)).find((field) => field.key === "summary")!;
    expect(JSON.parse(summary.value)).toMatchObject({ stage: "advocate", referral_code: code, referral_url: `https://${TEST_SHOP}/discount/${code}?redirect=%2F%3Fref%3D${code}` });
  });

  it("rewards the referrer when a new friend's order with the code is paid", async () => {
    const before = await points(referrerId);
    const friend = shop.createCustomer({ firstName: "Zoé", email: "zoe.friend@example.com" });
    const order = buy(friend.id, { discountCodes: [code.toLowerCase()] });
    await settle();
    expect(await referralOf(order.id)).toMatchObject({ status: "rewarded", channel: "discount_code", referrerId, friendId: String(friend.id) });
    expect(await points(referrerId)).toBe(before + 500);
  });

  it("gives the friend a discount they can use once: checkout refuses the code on their second order", async () => {
    expect(shop.discountCodes().find((discount) => discount.code === code)).toMatchObject({ appliesOncePerCustomer: true });
    const friend = shop.createCustomer({ firstName: "Olek", email: "olek@example.pl" });
    buy(friend.id, { discountCodes: [code] });
    await settle();
    expect(() => buy(friend.id, { discountCodes: [code] })).toThrow(/once per customer/);
  });

  it("makes codes with at least 40 bits of randomness", () => {
    const codes = Array.from({ length: 20_000 }, () => newReferralCode("Anna"));
    const alphabet = new Set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789");
    for (const made of codes.slice(0, 100)) {
      const random = made.replace(/^ANNA-/, "").replaceAll("-", "");
      expect([...random].every((character) => alphabet.has(character))).toBe(true);
      expect(random.length * Math.log2(alphabet.size)).toBeGreaterThanOrEqual(40);
    }
    // With 20 bits, 20,000 codes would share some two hundred values; with 40, none.
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("keeps a code issued in the old short form working: links already shared still attribute", async () => {
    const owner = shop.customers().find((customer) => String(customer.id) !== referrerId)!;
    await prisma.referralCode.create({ data: { shop: TEST_SHOP, customerId: String(owner.id), code: "OLDIE-7K2P", createdAt: new Date() } });
    const friend = shop.createCustomer({ firstName: "Nadia", email: "nadia@example.ma" });
    const order = buy(friend.id, { customAttributes: [{ key: REFERRAL_ATTRIBUTE, value: "oldie-7k2p" }] });
    await settle();
    expect(await referralOf(order.id)).toMatchObject({ code: "OLDIE-7K2P", referrerId: String(owner.id), status: "rewarded" });
  });

  it("attributes by the cart attribute the storefront set from the link", async () => {
    const friend = shop.createCustomer({ firstName: "Marek", email: "marek@example.pl" });
    const order = buy(friend.id, { customAttributes: [{ key: REFERRAL_ATTRIBUTE, value: code }] });
    await settle();
    expect(await referralOf(order.id)).toMatchObject({ status: "rewarded", channel: "cart_attribute" });
  });

  it.each([
    ["the referrer's own order", () => Number(referrerId), "self_referral"],
    [
      "a returning customer",
      () =>
        shop
          .customers()
          .find((customer) => shop.ordersOfCustomer(customer.id).some((order) => order.financialStatus === "PAID") && String(customer.id) !== referrerId)!.id,
      "not_a_new_customer",
    ],
  ])("rejects %s", async (_name, customerOf, reason) => {
    const before = await points(referrerId);
    const order = buy(customerOf(), { discountCodes: [code] });
    await settle();
    const referral = await referralOf(order.id);
    expect(referral.status).toBe("rejected");
    expect(JSON.parse(referral.reasons)).toContain(reason);
    expect(await points(referrerId)).toBe(before + (reason === "self_referral" ? 60 : 0));
  });

  it("rewards one friend once: their next order with the code earns the referrer nothing", async () => {
    const friend = shop.createCustomer({ firstName: "Ines", email: "ines@example.es" });
    buy(friend.id, { discountCodes: [code] });
    await settle();
    const before = await points(referrerId);
    // The friend's discount is spent (Shopify takes it once per customer): the link still brings them.
    const again = buy(friend.id, { customAttributes: [{ key: REFERRAL_ATTRIBUTE, value: code }] });
    await settle();
    expect(JSON.parse((await referralOf(again.id)).reasons)).toEqual(expect.arrayContaining(["not_a_new_customer", "already_referred"]));
    expect(await points(referrerId)).toBe(before);
  });

  it("holds a friend who shares the referrer's email (written differently) until the merchant approves", async () => {
    const referrer = shop.customer(Number(referrerId))!;
    const [local, domain] = referrer.email!.split("@");
    shop.updateCustomer(referrer.id, { email: `${local}@gmail.com` });
    const twin = shop.createCustomer({ firstName: "Twin", email: `${local!.toUpperCase()}+shop@gmail.com` });
    const order = buy(twin.id, { discountCodes: [code] });
    await settle();
    const held = await referralOf(order.id);
    expect(held).toMatchObject({ status: "held" });
    expect(JSON.parse(held.reasons)).toEqual(["same_email"]);
    const before = await points(referrerId);
    await approveReferral(prisma, TEST_SHOP, held.id, new Date());
    expect(await points(referrerId)).toBe(before + 500);
    shop.updateCustomer(referrer.id, { email: `${local}@${domain}` });
  });

  it.each([
    ["phone", (address: SandboxAddress) => ({ ...address, address1: "77 Other Road", zip: "99999" }), "same_phone"],
    ["address", (address: SandboxAddress) => ({ ...address, phone: null }), "same_address"],
  ] as const)("holds a friend who shares the referrer's %s", async (_name, friendAddress, reason) => {
    const referrer = shop.customer(Number(referrerId))!;
    const address = referrer.addresses.find((candidate) => candidate.id === referrer.defaultAddressId)!;
    // The referrer's saved address, with a phone on it.
    address.phone ??= "+33 6 12 34 56 78";
    const { id: _id, ...base } = address;
    const friend = shop.createCustomer({ firstName: `Friend ${reason}`, email: `${reason}@friends.example`, address: friendAddress({ ...base, id: 0 }) });
    const order = buy(friend.id, { discountCodes: [code] });
    await settle();
    const referral = await referralOf(order.id);
    expect(referral.status).toBe("held");
    expect(JSON.parse(referral.reasons)).toEqual([reason]);
  });

  it("pays the referrer nothing for a friend's order below the minimum (20.00 by default)", async () => {
    const before = await points(referrerId);
    const friend = shop.createCustomer({ firstName: "Lena", email: "lena@example.at" });
    const order = shop.createOrder({
      customerId: friend.id,
      paid: true,
      discountCodes: [code],
      lineItems: [{ title: "Lip balm", sku: "BALM-1", quantity: 1, price: "15.00" }],
    });
    await settle();
    const referral = await referralOf(order.id);
    expect(referral.status).toBe("rejected");
    expect(JSON.parse(referral.reasons)).toEqual(["below_minimum_order"]);
    expect(await points(referrerId)).toBe(before);
  });

  it("takes the reward back when the friend's order is cancelled within the return window", async () => {
    const friend = shop.createCustomer({ firstName: "Kai", email: "kai@example.de" });
    const order = buy(friend.id, { discountCodes: [code] });
    await settle();
    const rewarded = await points(referrerId);
    shop.cancelOrder(order.id, "CUSTOMER", { refund: true });
    await settle();
    expect(await referralOf(order.id)).toMatchObject({ status: "reversed" });
    expect(await points(referrerId)).toBe(rewarded - 500);
  });
});

describe("a referral's reward and its points are one transaction", () => {
  // A failure injected between the referral's decision and the referrer's points (as a crash there would be).
  const breakReferralPoints = async () => {
    if (TEST_ON_POSTGRES) {
      await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION "test_referral_points_fail"() RETURNS trigger AS $$
        BEGIN IF NEW."source" = 'referral' THEN RAISE EXCEPTION 'injected failure before the referral points'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await prisma.$executeRawUnsafe(
        `CREATE TRIGGER "test_referral_points_fail" BEFORE INSERT ON "PointsEntry" FOR EACH ROW EXECUTE FUNCTION "test_referral_points_fail"()`,
      );
    } else {
      await prisma.$executeRawUnsafe(
        `CREATE TRIGGER "test_referral_points_fail" BEFORE INSERT ON "PointsEntry" WHEN NEW."source" = 'referral' BEGIN SELECT RAISE(ABORT, 'injected failure before the referral points'); END`,
      );
    }
  };
  const repair = () =>
    prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "test_referral_points_fail"${TEST_ON_POSTGRES ? ` ON "PointsEntry"` : ""}`);

  it("never leaves a rewarded referral without its points: the retry pays them", async () => {
    const before = await points(referrerId);
    const friend = shop.createCustomer({ firstName: "Aiko", email: "aiko@example.jp" });
    const order = buy(friend.id, { discountCodes: [code] });
    await breakReferralPoints();
    try {
      await settle();
    } finally {
      await repair();
    }
    expect(await prisma.referral.findUnique({ where: { shop_orderId: { shop: TEST_SHOP, orderId: String(order.id) } } })).toBeNull();
    expect(await points(referrerId)).toBe(before);
    // The failed job is retried after its backoff.
    await testWorker({ now: () => new Date(Date.now() + 60 * 60_000) }).runUntilIdle();
    expect(await referralOf(order.id)).toMatchObject({ status: "rewarded" });
    expect(await points(referrerId)).toBe(before + 500);
  });

  it("approves a held referral together with its points, or not at all", async () => {
    const referrer = shop.customer(Number(referrerId))!;
    const [local, domain] = referrer.email!.split("@");
    shop.updateCustomer(referrer.id, { email: `${local}@gmail.com` });
    const twin = shop.createCustomer({ firstName: "Twin", email: `${local!.replaceAll(".", "")}+again@gmail.com` });
    const order = buy(twin.id, { discountCodes: [code] });
    await settle();
    shop.updateCustomer(referrer.id, { email: `${local}@${domain}` });
    const held = await referralOf(order.id);
    expect(held.status).toBe("held");
    const before = await points(referrerId);

    await breakReferralPoints();
    try {
      await expect(approveReferral(prisma, TEST_SHOP, held.id, new Date())).rejects.toThrow(/injected failure/);
    } finally {
      await repair();
    }
    expect(await referralOf(order.id)).toMatchObject({ status: "held" });
    expect(await points(referrerId)).toBe(before);

    // Still held, so the merchant can approve again, and this time it pays.
    await approveReferral(prisma, TEST_SHOP, held.id, new Date());
    expect(await referralOf(order.id)).toMatchObject({ status: "approved" });
    expect(await points(referrerId)).toBe(before + 500);
  });
});
