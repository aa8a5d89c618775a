import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { adjustPoints } from "~/loyalty-models/ledger.server";
import { action, loader } from "~/routes/app.customers.$customerId";
import { action as webhookAction } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { BROWSER_USER_AGENT } from "../support/install";
import { importStoreOnce } from "../sync/support";
import { countJobs } from "../support/jobs";

const { sandbox, shop } = installTestSandbox({ customers: 20, seed: 91 });
routeWebhooksToApp(webhookAction);

const signed = (customerId: string, init?: RequestInit) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app/customers/${customerId}`, { ...init, headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );
const load = async (customerId: string) => loader({ request: await signed(customerId), params: { customerId }, context: {} });
const post = async (customerId: string, form: Record<string, string>) =>
  action({ request: await signed(customerId, { method: "POST", body: new URLSearchParams(form) }), params: { customerId }, context: {} });
const thrownStatus = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
  return 200;
};

importStoreOnce(sandbox, shop);

describe("customer page", () => {
  it("shows the customer's stage with its reason, their points and their history", async () => {
    const lifecycle = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    await adjustPoints(prisma, TEST_SHOP, lifecycle.customerId, 75, "Goodwill", "goodwill-1", new Date());
    const data = await load(lifecycle.customerId);
    expect(data.lifecycle).toMatchObject({ stage: lifecycle.stage, reasonKey: lifecycle.reasonKey, rfmGroup: lifecycle.rfmGroup });
    expect(data.points).toEqual({ available: 75, pending: 0 });
    expect(data.entries).toMatchObject([{ kind: "adjust", points: 75, reason: "Goodwill" }]);
    expect(data.timeline.some((event) => event.kind === "stage")).toBe(true);
    expect(data.markedAdvocate).toBe(false);
  });

  it("shows a timeline of the customer's orders, refunds, cancellations and stage changes with reasons, newest first", async () => {
    const refunded = await prisma.refund.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    const { customerId } = await prisma.order.findFirstOrThrow({ where: { shop: TEST_SHOP, id: refunded.orderId } });
    const orders = await prisma.order.findMany({ where: { shop: TEST_SHOP, customerId } });
    const refunds = await prisma.refund.findMany({ where: { shop: TEST_SHOP, orderId: { in: orders.map((order) => order.id) } } });
    const changes = await prisma.stageChange.findMany({ where: { shop: TEST_SHOP, customerId: customerId! } });
    const { timeline } = await load(customerId!);

    const of = (kind: string) => timeline.filter((event) => event.kind === kind);
    expect(
      of("order")
        .map((event) => event.kind === "order" && [event.orderId, event.totalMinor])
        .sort(),
    ).toEqual(orders.map((order) => [order.id, order.totalMinor]).sort());
    expect(
      of("refund")
        .map((event) => event.kind === "refund" && event.amountMinor)
        .sort(),
    ).toEqual(refunds.map((refund) => refund.amountMinor).sort());
    expect(of("cancelled")).toHaveLength(orders.filter((order) => order.cancelledAt).length);
    expect(of("stage")).toHaveLength(changes.length);
    for (const event of of("stage")) expect(event).toMatchObject({ reasonKey: expect.stringMatching(/^lifecycle\.reason\./) });
    expect(timeline.map((event) => event.at)).toEqual([...timeline.map((event) => event.at)].sort().reverse());
  });

  it("answers 404 for a customer of no shop of ours, and for an id that is not one", async () => {
    expect(await thrownStatus(load("999999999999"))).toBe(404);
    expect(await thrownStatus(load("abc"))).toBe(404);
  });

  it("marks and unmarks an advocate, queueing their recompute", async () => {
    const customerId = String(shop.customers()[3]!.id);
    expect(await post(customerId, { intent: "mark-advocate", marked: "true" })).toEqual({ marked: true });
    expect(await prisma.advocateMark.count({ where: { shop: TEST_SHOP, customerId } })).toBe(1);
    expect(await countJobs({ shop: TEST_SHOP, kind: "recompute-customer", dedupeKey: customerId })).toBe(1);
    expect((await load(customerId)).markedAdvocate).toBe(true);
    expect(await post(customerId, { intent: "mark-advocate", marked: "false" })).toEqual({ marked: false });
    expect(await prisma.advocateMark.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
  });

  it.each([
    [{ intent: "delete-customer" }, 400],
    [{ intent: "mark-advocate", marked: "maybe" }, 400],
    [{}, 400],
  ])("refuses %j and changes nothing", async (form, status) => {
    const customerId = String(shop.customers()[4]!.id);
    const response = (await post(customerId, form as Record<string, string>)) as Response;
    expect(response.status).toBe(status);
    expect(await prisma.advocateMark.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
  });

  it("refuses to mark a customer the shop does not have", async () => {
    expect(((await post("999999999999", { intent: "mark-advocate", marked: "true" })) as Response).status).toBe(404);
  });

  it("adjusts points with a reason, once per submission", async () => {
    const customerId = String(shop.customers()[5]!.id);
    const form = { intent: "adjust-points", points: "250", reason: "Birthday gift", adjustmentId: "7d4f1a40-5f2b-4a47-9a3e-2b9a7a1c0d11" };
    expect(await post(customerId, form)).toMatchObject({ adjusted: 250, balance: { available: 250 } });
    expect(await post(customerId, form)).toMatchObject({ balance: { available: 250 } });
    expect(await post(customerId, { ...form, points: "-50", adjustmentId: "8e5a2b51-6a3c-4b58-8b4f-3c0b8b2d1e22" })).toMatchObject({
      balance: { available: 200 },
    });
    expect((await load(customerId)).entries.map((entry) => [entry.points, entry.reason])).toEqual([
      [-50, "Birthday gift"],
      [250, "Birthday gift"],
    ]);
  });

  it.each([
    [{ points: "0" }, { points: "customer.errors.points" }],
    [{ points: "1.5" }, { points: "customer.errors.points" }],
    [{ points: "lots" }, { points: "customer.errors.points" }],
    [{ reason: "  " }, { reason: "customer.errors.reason" }],
  ])("refuses the adjustment %j with an error beside its field", async (change, errors) => {
    const customerId = String(shop.customers()[6]!.id);
    const response = (await post(customerId, {
      intent: "adjust-points",
      points: "10",
      reason: "Goodwill",
      adjustmentId: "9f6b3c62-7b4d-4c69-9c50-4d1c9c3e2f33",
      ...change,
    })) as Response;
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual(errors);
    expect(await prisma.pointsEntry.count({ where: { shop: TEST_SHOP, customerId } })).toBe(0);
  });

  it("approves or rejects a held referral, and only a held one of this customer", async () => {
    const referrerId = String(shop.customers()[7]!.id);
    const held = (orderId: string) =>
      prisma.referral.create({
        data: {
          shop: TEST_SHOP,
          code: "TWIN-AAAA",
          referrerId,
          friendId: String(shop.customers()[8]!.id),
          orderId,
          channel: "discount_code",
          status: "held",
          reasons: '["same_email"]',
        },
      });
    const approve = await held(String(shop.orders()[0]!.id));
    expect(await post(referrerId, { intent: "approve-referral", referralId: String(approve.id) })).toEqual({ referral: "approved" });
    expect((await prisma.referral.findUniqueOrThrow({ where: { id: approve.id } })).status).toBe("approved");
    expect((await load(referrerId)).points.available).toBe(500);

    const reject = await held(String(shop.orders()[1]!.id));
    expect(await post(referrerId, { intent: "reject-referral", referralId: String(reject.id) })).toEqual({ referral: "rejected" });
    expect((await load(referrerId)).points.available).toBe(500);
    // Decided already, or another customer's: nothing to decide.
    expect(((await post(referrerId, { intent: "approve-referral", referralId: String(reject.id) })) as Response).status).toBe(404);
    expect(((await post(String(shop.customers()[9]!.id), { intent: "approve-referral", referralId: String(approve.id) })) as Response).status).toBe(404);
  });
});
