import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader as download } from "~/routes/app.data-requests.$requestId[.]json";
import { action, loader } from "~/routes/app.data-requests._index";
import { action as webhookAction } from "~/routes/webhooks.$";
import { customersDataRequestPayload } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { BROWSER_USER_AGENT } from "../support/install";
import { signedWebhookRequest } from "../support/webhooks";
import { testWorker } from "../support/worker";
import { importStoreOnce } from "../sync/support";

const { sandbox, shop } = installTestSandbox({ customers: 15, seed: 71 });
routeWebhooksToApp(webhookAction);
importStoreOnce(sandbox, shop);
const OTHER_SHOP = "other-shop.myshopify.com";

const signed = (path: string, init?: RequestInit) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`, { ...init, headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );
const load = async () => loader({ request: await signed("/app/data-requests"), params: {}, context: {} });
const post = async (form: Record<string, string>) =>
  (await action({ request: await signed("/app/data-requests?index", { method: "POST", body: new URLSearchParams(form) }), params: {}, context: {} })) as
    | Response
    | { sent: boolean };
const fetchExport = async (requestId: string) =>
  (await download({ request: await signed(`/app/data-requests/${requestId}.json`), params: { requestId }, context: {} })) as Response;

/** A customers/data_request as Shopify sends it, through the signed webhook route and the worker. */
async function requestData(customer: { id: number; email: string | null; phone: string | null }, dataRequestId: number, triggeredAt: Date) {
  const response = await webhookAction({
    request: signedWebhookRequest({ topic: "customers/data_request", body: customersDataRequestPayload(shop, customer, { dataRequestId }), triggeredAt: triggeredAt.toISOString() }),
    params: {},
    context: {},
  });
  expect(response.status).toBe(200);
  await testWorker().runUntilIdle();
  return prisma.dataRequest.findFirstOrThrow({ where: { shop: TEST_SHOP, shopifyRequestId: String(dataRequestId) } });
}

describe("customer data requests page", () => {
  it("lists the shop's open requests, newest first, with the customer's name and email as we hold them, and their exports to download", async () => {
    const [first, second] = shop.customers();
    const older = await requestData(first!, 101, new Date(Date.now() - 2 * 24 * 3600_000));
    const newer = await requestData(second!, 102, new Date(Date.now() - 3600_000));
    // A customer we hold nothing about: the request is recorded all the same.
    const unknown = await requestData({ id: 424242, email: "gone@example.com", phone: null }, 103, new Date(Date.now() - 7200_000));
    await prisma.dataRequest.create({ data: { shop: OTHER_SHOP, customerId: String(first!.id), requestedAt: new Date(), completedAt: new Date(), export: "{}" } });

    const page = await load();

    expect(page.fulfilled).toEqual([]);
    expect(page.open.map((row) => row.id)).toEqual([newer.id, unknown.id, older.id]);
    expect(page.open[0]).toMatchObject({
      customerId: String(second!.id),
      shopifyRequestId: "102",
      name: `${second!.firstName} ${second!.lastName}`,
      email: second!.email,
      sentAt: null,
    });
    // Nothing held about them, not even the email Shopify sent with the request.
    expect(page.open[1]).toMatchObject({ customerId: "424242", name: null, email: null });

    const file = await fetchExport(String(newer.id));
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(file.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="customer-${second!.id}-data-\\d{4}-\\d{2}-\\d{2}\\.json"$`));
    expect(file.headers.get("Cache-Control")).toBe("no-store");
    const text = await file.text();
    expect(text).toBe(newer.export);
    expect(JSON.parse(text)).toMatchObject({ customerId: String(second!.id), profile: [{ id: String(second!.id), email: second!.email }] });
  });

  it("marks a request sent with the date (once), moves it back if asked, and touches no other shop's request", async () => {
    const [open] = (await load()).open;
    const before = Date.now();

    expect(await post({ intent: "mark-sent", requestId: String(open!.id) })).toEqual({ sent: true });
    let page = await load();
    expect(page.open.map((row) => row.id)).not.toContain(open!.id);
    const sent = page.fulfilled.find((row) => row.id === open!.id)!;
    expect(new Date(sent.sentAt!).getTime()).toBeGreaterThanOrEqual(before);

    // A second click keeps the date it was sent.
    await post({ intent: "mark-sent", requestId: String(open!.id) });
    expect((await load()).fulfilled.find((row) => row.id === open!.id)?.sentAt).toEqual(sent.sentAt);

    expect(await post({ intent: "mark-open", requestId: String(open!.id) })).toEqual({ sent: false });
    page = await load();
    expect(page.open.map((row) => row.id)).toContain(open!.id);
    expect(page.fulfilled).toEqual([]);

    const elsewhere = await prisma.dataRequest.findFirstOrThrow({ where: { shop: OTHER_SHOP } });
    const refused = (await post({ intent: "mark-sent", requestId: String(elsewhere.id) })) as Response;
    expect(refused.status).toBe(404);
    expect((await prisma.dataRequest.findUniqueOrThrow({ where: { id: elsewhere.id } })).sentAt).toBeNull();
    expect(((await post({ intent: "delete", requestId: String(open!.id) })) as Response).status).toBe(400);
    expect(((await post({ intent: "mark-sent", requestId: "1e3" })) as Response).status).toBe(400);
  });

  it("keeps a sent export 30 days for a second download, then drops it; the request stays as the record that it was answered", async () => {
    const [request] = (await load()).open;
    await post({ intent: "mark-sent", requestId: String(request!.id) });
    const sentAt = (await prisma.dataRequest.findUniqueOrThrow({ where: { id: request!.id } })).sentAt!;
    const unsent = (await load()).open[0]!;

    await testWorker({ now: () => new Date(sentAt.getTime() + 29 * 24 * 3600_000) }).runUntilIdle();
    expect((await fetchExport(String(request!.id))).status).toBe(200);

    await testWorker({ now: () => new Date(sentAt.getTime() + 31 * 24 * 3600_000) }).runUntilIdle();
    expect((await fetchExport(String(request!.id))).status).toBe(404);
    const page = await load();
    expect(page.fulfilled.find((row) => row.id === request!.id)).toMatchObject({ sentAt, hasExport: false, customerId: request!.customerId });
    // One not yet sent keeps its export, however old.
    expect(page.open.find((row) => row.id === unsent.id)).toMatchObject({ hasExport: true });
    expect((await fetchExport(String(unsent.id))).status).toBe(200);
  });

  it("serves no other shop's export, and nothing for an id that is not one", async () => {
    const elsewhere = await prisma.dataRequest.findFirstOrThrow({ where: { shop: OTHER_SHOP } });
    expect((await fetchExport(String(elsewhere.id))).status).toBe(404);
    expect((await fetchExport("abc")).status).toBe(404);
    expect((await fetchExport("99999999")).status).toBe(404);
    // Without a session token: no export at all.
    const unsigned = new Request(`${APP_URL}/app/data-requests/1.json`, { headers: { "User-Agent": BROWSER_USER_AGENT } });
    const refused = await download({ request: unsigned, params: { requestId: "1" }, context: {} }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).not.toBe(200);
  });
});
