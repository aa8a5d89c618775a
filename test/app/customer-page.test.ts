import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { adjustPoints } from "~/loyalty-store/ledger.server";
import { action, loader } from "~/routes/app.customers.$customerId";
import { action as webhookAction } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../sandbox/testing";
import { BROWSER_USER_AGENT, openAppAsMerchant } from "../support/install";
import { runBackfill } from "../sync/support";

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

let imported = false;
beforeEach(async () => {
  if (imported) return;
  imported = true;
  await openAppAsMerchant();
  await runBackfill(sandbox, shop);
});

describe("customer page", () => {
  it("shows the customer's stage with its reason, their points and their history", async () => {
    const lifecycle = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    await adjustPoints(prisma, TEST_SHOP, lifecycle.customerId, 75, "Goodwill", "goodwill-1", new Date());
    const data = await load(lifecycle.customerId);
    expect(data.lifecycle).toMatchObject({ stage: lifecycle.stage, reasonKey: lifecycle.reasonKey, rfmGroup: lifecycle.rfmGroup });
    expect(data.points).toEqual({ available: 75, pending: 0 });
    expect(data.entries).toMatchObject([{ kind: "adjust", points: 75, reason: "Goodwill" }]);
    expect(data.history.length).toBeGreaterThan(0);
    expect(data.markedAdvocate).toBe(false);
  });

  it("answers 404 for a customer of no shop of ours, and for an id that is not one", async () => {
    expect(await thrownStatus(load("999999999999"))).toBe(404);
    expect(await thrownStatus(load("abc"))).toBe(404);
  });

  it("marks and unmarks an advocate, queueing their recompute", async () => {
    const customerId = String(shop.customers()[3]!.id);
    expect(await post(customerId, { intent: "mark-advocate", marked: "true" })).toEqual({ marked: true });
    expect(await prisma.advocateMark.count({ where: { shop: TEST_SHOP, customerId } })).toBe(1);
    expect(await prisma.job.count({ where: { shop: TEST_SHOP, kind: "recompute-customer", dedupeKey: customerId } })).toBe(1);
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
});
