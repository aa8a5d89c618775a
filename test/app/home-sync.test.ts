import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action, loader } from "~/routes/app._index";
import { installTestSandbox } from "../sandbox/testing";
import { BROWSER_USER_AGENT, openAppAsMerchant } from "../support/install";
import { testWorker } from "../support/worker";

const { shop } = installTestSandbox({ customers: 25, seed: 41 });

const post = (form: Record<string, string>) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app?index`, { method: "POST", body: new URLSearchParams(form), headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );

describe("home page sync card", () => {
  it("shows the install import's progress, then what was synced", async () => {
    await openAppAsMerchant();
    const request = () => setUpValidRequest({ type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY }, new Request(`${APP_URL}/app`));

    const before = await loader({ request: await request(), params: {}, context: {} });
    expect(before.sync.backfill).toMatchObject({ status: "running", phase: "customers", done: 0 });

    const worker = testWorker();
    await worker.runUntilIdle(); // totals known, bulk export started
    const during = await loader({ request: await request(), params: {}, context: {} });
    expect(during.sync.backfill?.total).toBe(shop.customers().length + shop.orders().length);
  });

  it("starts a new import when asked, one at a time", async () => {
    await prisma.backfill.updateMany({ data: { status: "completed", finishedAt: new Date() } });
    const response = await action({ request: await post({ intent: "backfill" }), params: {}, context: {} });
    expect(response).toMatchObject({ started: expect.any(Number) });
    const started = await prisma.backfill.findFirstOrThrow({ where: { shop: TEST_SHOP, status: "running" } });
    expect(started.trigger).toBe("manual");

    // Asking again while it runs returns the same import.
    expect(await action({ request: await post({ intent: "backfill" }), params: {}, context: {} })).toEqual({ started: started.id });
    expect(await prisma.job.count({ where: { shop: TEST_SHOP, kind: "backfill", status: "queued" } })).toBe(1);
  });

  it("refuses an unknown action with 400 and starts nothing", async () => {
    const running = await prisma.backfill.count();
    const response = (await action({ request: await post({ intent: "drop-tables" }), params: {}, context: {} })) as Response;
    expect(response.status).toBe(400);
    expect(await prisma.backfill.count()).toBe(running);
  });

  it("approves the write-back after the dry run, queueing the first write", async () => {
    const response = await action({ request: await post({ intent: "approve-write-back" }), params: {}, context: {} });
    expect(response).toEqual({ approved: true });
    expect((await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).writeBackApprovedAt).not.toBeNull();
    expect(await prisma.job.count({ where: { shop: TEST_SHOP, kind: "write-back", status: "queued" } })).toBe(1);
  });
});
