import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { AdminApiError, AdminApiInvalidArgumentsError } from "~/admin-api/errors";
import { enqueue, jobEngineFor } from "~/jobs/engines.server";
import { JOB_HANDLERS } from "~/app-worker.server";
import { action, loader } from "~/routes/app.sync";
import { jobKindKey } from "~/sync/health.server";
import { MAX_ATTEMPTS } from "~/webhooks/inbox.server";
import { installTestSandbox } from "../support/sandbox";
import { BROWSER_USER_AGENT, openAppAsMerchant } from "../support/install";
import { testWorker } from "../support/worker";
import { countJobs, deleteJobs, findJobs } from "../support/jobs";

const { shop } = installTestSandbox({ customers: 25, seed: 43 });
const OTHER_SHOP = "other-shop.myshopify.com";
const HOUR_MS = 60 * 60 * 1000;

const signed = (init?: RequestInit) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app/sync`, { ...init, headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );
const load = async () => loader({ request: await signed(), params: {}, context: {} });
const post = async (form: Record<string, string>) =>
  action({ request: await signed({ method: "POST", body: new URLSearchParams(form) }), params: {}, context: {} });

let installed = false;
beforeEach(async () => {
  if (installed) return;
  installed = true;
  await openAppAsMerchant();
});

let deliveries = 0;
const delivery = (target: string, topic: string, receivedAt: Date, extra: { status?: string; attempts?: number; lastError?: string } = {}) =>
  prisma.webhookDelivery.create({
    data: { shop: target, topic, webhookId: `sync-page-${(deliveries += 1)}`, apiVersion: "2025-10", payload: "{}", receivedAt, status: "processed", ...extra },
  });
let killed = 0;
/**
 * A job of `target` that fails at every one of its attempts (each run once its backoff is over, on a
 * clock a day further each round) until it is dead, through the app's job engine.
 */
async function killJob(target: string, kind: string, options: { dedupeKey?: string; error?: Error } = {}) {
  const dedupeKey = options.dedupeKey ?? `dies-${(killed += 1)}`;
  await enqueue(prisma, { shop: target, kind, dedupeKey, runAt: new Date(0) });
  let clockMs = Date.now();
  const worker = jobEngineFor(prisma).createWorker({
    context: { db: prisma, now: () => new Date(clockMs), adminFor: () => Promise.reject(new Error("no Admin API here")) },
    handlers: { [kind]: () => Promise.reject(options.error ?? new AdminApiError("Shopify answered 502", "Test")) },
  });
  for (let round = 0; round < 20; round += 1) {
    clockMs += 24 * HOUR_MS;
    await worker.runOnce();
    const [dead] = await findJobs({ shop: target, kind, dedupeKey, status: "dead" });
    if (dead) return dead;
  }
  throw new Error(`${kind} ${dedupeKey} did not die`);
}
const deadJob = (target: string, kind = "order-points") => killJob(target, kind);
const jobStatuses = async () => (await findJobs()).map(({ id, status, attempts }) => ({ id, status, attempts }));
const jobById = async (id: string) => (await findJobs()).find((job) => job.id === id)!;

describe("sync and health page", () => {
  it("shows the import's progress, then its totals", async () => {
    const before = await load();
    expect(before.health.sync.backfill).toMatchObject({ status: "running", phase: "customers", done: 0 });
    expect(before.overview?.shop.myshopifyDomain).toBe(TEST_SHOP);

    await testWorker().runUntilIdle(); // totals known, bulk export started
    const during = await load();
    expect(during.health.sync.backfill?.total).toBe(shop.customers().length + shop.orders().length);
  });

  it("shows the last delivery of each webhook topic, for this shop only", async () => {
    const now = Date.now();
    await delivery(TEST_SHOP, "orders/create", new Date(now - 30 * HOUR_MS));
    const lastOrder = await delivery(TEST_SHOP, "orders/create", new Date(now - 2 * HOUR_MS));
    await delivery(TEST_SHOP, "orders/create", new Date(now - 3 * HOUR_MS), { status: "failed", attempts: MAX_ATTEMPTS, lastError: "AdminApiError: 502" });
    const lastCustomer = await delivery(TEST_SHOP, "customers/update", new Date(now - 48 * HOUR_MS));
    await delivery(OTHER_SHOP, "orders/create", new Date(now - 60_000), { status: "failed" });
    await delivery(OTHER_SHOP, "products/update", new Date(now - 60_000));

    const { health } = await load();
    expect(health.topics).toEqual([
      { topic: "customers/update", lastReceivedAt: lastCustomer.receivedAt.toISOString(), lastDay: 0, failed: 0 },
      { topic: "orders/create", lastReceivedAt: lastOrder.receivedAt.toISOString(), lastDay: 2, failed: 1 },
    ]);
    expect(health.inbox).toMatchObject({ received: 4, failed: 1 });
  });

  it("lists failed deliveries with their reason, and retries only one that used up its attempts", async () => {
    const malformed = await delivery(TEST_SHOP, "orders/paid", new Date(), { status: "failed", lastError: "Payload is not valid JSON: Unexpected token" });
    const exhausted = await delivery(TEST_SHOP, "refunds/create", new Date(Date.now() - 60_000), {
      status: "failed",
      attempts: MAX_ATTEMPTS,
      lastError: "AdminApiError: Shopify answered 502",
    });
    const elsewhere = await delivery(OTHER_SHOP, "refunds/create", new Date(), { status: "failed", attempts: MAX_ATTEMPTS });

    const { health } = await load();
    expect(health.failedDeliveries.slice(0, 2)).toEqual([
      {
        id: malformed.id,
        topic: "orders/paid",
        receivedAt: malformed.receivedAt.toISOString(),
        reason: "Payload is not valid JSON: Unexpected token",
        retryable: false,
      },
      {
        id: exhausted.id,
        topic: "refunds/create",
        receivedAt: exhausted.receivedAt.toISOString(),
        reason: "AdminApiError: Shopify answered 502",
        retryable: true,
      },
    ]);
    expect(health.failedDeliveries.map((row) => row.id)).not.toContain(elsewhere.id);

    expect(await post({ intent: "retry-delivery", deliveryId: String(exhausted.id) })).toEqual({ retriedDelivery: true });
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: exhausted.id } })).toMatchObject({
      status: "pending",
      attempts: 0,
      availableAt: null,
    });
    for (const id of [malformed.id, elsewhere.id]) {
      expect(((await post({ intent: "retry-delivery", deliveryId: String(id) })) as Response).status).toBe(404);
      expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } })).status).toBe("failed");
    }
  });

  it("retries a dead job of this shop, and not another shop's", async () => {
    const mine = await deadJob(TEST_SHOP);
    const theirs = await deadJob(OTHER_SHOP);
    // The job engine's id, as text (a uuid on pg-boss).
    expect((await load()).health.deadJobs).toContainEqual({
      id: mine.id,
      kind: "order-points",
      kindKey: "sync.jobs.kind.order-points",
      attempts: 8,
      lastError: "AdminApiError: Shopify answered 502",
      finishedAt: expect.any(String),
      retryable: true,
    });

    const before = Date.now();
    expect(await post({ intent: "retry-job", jobId: String(mine.id) })).toEqual({ retriedJobs: 1 });
    const retried = await jobById(mine.id);
    expect(retried).toMatchObject({ status: "queued", attempts: 0 });
    expect(retried.runAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(retried.runAt.getTime()).toBeLessThanOrEqual(Date.now());

    const response = (await post({ intent: "retry-job", jobId: String(theirs.id) })) as Response;
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.any(String) });
    expect(await jobById(theirs.id)).toMatchObject({ status: "dead", attempts: 8 });
    // Retried already: no longer dead.
    expect(((await post({ intent: "retry-job", jobId: String(mine.id) })) as Response).status).toBe(404);
  });

  it("shows a job that died at once of a failure no retry can help with its reason, and offers no retry of it", async () => {
    const refused = await killJob(TEST_SHOP, "order-points", {
      error: new AdminApiInvalidArgumentsError("SyncOrderRefunds: Invalid global id 'gid://shopify/Order/99999999999999999999'", "SyncOrderRefunds"),
    });
    expect(refused.lastError).toBe("AdminApiInvalidArgumentsError: SyncOrderRefunds: Invalid global id 'gid://shopify/Order/99999999999999999999'");
    expect((await load()).health.deadJobs).toContainEqual(
      expect.objectContaining({ id: String(refused.id), attempts: 1, lastError: refused.lastError, retryable: false }),
    );
    expect(((await post({ intent: "retry-job", jobId: String(refused.id) })) as Response).status).toBe(404);
    await post({ intent: "retry-all-jobs" });
    expect(await jobById(refused.id)).toMatchObject({ status: "dead", attempts: 1 });
    await deleteJobs({ shop: TEST_SHOP, kind: "order-points" });
  });

  it("retries a dead recurring job as itself, never as a second chain beside the one queued since", async () => {
    // Failing at every one of its attempts (each claimed once its backoff is over): dead, and the merchant may retry it.
    const lone = await killJob(TEST_SHOP, "loyalty-daily", { dedupeKey: "daily" });
    expect(lone).toMatchObject({ status: "dead", dedupeKey: "daily" });
    expect(await countJobs({ shop: TEST_SHOP, kind: "loyalty-daily", status: ["queued", "running"] })).toBe(0);
    await post({ intent: "retry-job", jobId: lone.id });
    expect(await jobById(lone.id)).toMatchObject({ status: "queued", dedupeKey: "daily" });
    // Asked for again later (e.g. at the next boot): still one job.
    await enqueue(prisma, { shop: TEST_SHOP, kind: "loyalty-daily", dedupeKey: "daily", runAt: new Date() });
    expect(await countJobs({ shop: TEST_SHOP, kind: "loyalty-daily", status: "queued" })).toBe(1);

    const replaced = await killJob(TEST_SHOP, "recompute", { dedupeKey: "daily" });
    await enqueue(prisma, { shop: TEST_SHOP, kind: "recompute", dedupeKey: "daily", runAt: new Date() });
    expect(await post({ intent: "retry-job", jobId: replaced.id })).toEqual({ retriedJobs: 1 });
    expect(await jobById(replaced.id)).toMatchObject({ status: "done" });
    expect(await countJobs({ shop: TEST_SHOP, kind: "recompute", status: "queued", dedupeKey: "daily" })).toBe(1);
  });

  it("retries every dead job of this shop at once", async () => {
    await deadJob(TEST_SHOP, "write-back");
    await deadJob(TEST_SHOP, "referral-codes");
    const theirs = await deadJob(OTHER_SHOP);
    const dead = (await findJobs({ shop: TEST_SHOP, status: "dead" })).filter((job) => job.attempts >= job.maxAttempts).length;

    expect(await post({ intent: "retry-all-jobs" })).toEqual({ retriedJobs: dead });
    expect(await countJobs({ shop: TEST_SHOP, status: "dead" })).toBe(0);
    expect((await jobById(theirs.id)).status).toBe("dead");
    expect((await load()).health.deadJobs).toEqual([]);
  });

  it("brings the shop's check for missed updates forward to now", async () => {
    const [scheduled] = await findJobs({ shop: TEST_SHOP, kind: "reconcile", status: "queued" });
    expect(scheduled!.runAt.getTime()).toBeGreaterThan(Date.now());

    expect(await post({ intent: "reconcile" })).toEqual({ reconcileRequested: true });
    const queued = await findJobs({ shop: TEST_SHOP, kind: "reconcile", status: "queued" });
    expect(queued).toHaveLength(1);
    expect(queued[0]!.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await countJobs({ shop: OTHER_SHOP, kind: "reconcile" })).toBe(0);
  });

  it("lists the last reconciliation runs, newest first", async () => {
    const started = Date.now() - 5 * HOUR_MS;
    for (let run = 0; run < 12; run += 1) {
      await prisma.reconciliationRun.create({
        data: {
          shop: TEST_SHOP,
          since: new Date(started + run * HOUR_MS - 15 * 60_000),
          startedAt: new Date(started + run * HOUR_MS),
          finishedAt: new Date(started + run * HOUR_MS + 60_000),
          status: "completed",
          customersRepaired: run,
          ordersRepaired: 2 * run,
        },
      });
    }
    await prisma.reconciliationRun.create({ data: { shop: OTHER_SHOP, startedAt: new Date(), status: "failed" } });

    const { reconciliation } = (await load()).health;
    expect(reconciliation.runs).toHaveLength(10);
    expect(reconciliation.runs[0]).toMatchObject({
      status: "completed",
      startedAt: new Date(started + 11 * HOUR_MS).toISOString(),
      since: new Date(started + 11 * HOUR_MS - 15 * 60_000).toISOString(),
      customersRepaired: 11,
      ordersRepaired: 22,
    });
    expect(reconciliation.runs.every((run) => run.status === "completed")).toBe(true);
  });

  it("starts a new import when asked, one at a time", async () => {
    await prisma.backfill.updateMany({ where: { shop: TEST_SHOP }, data: { status: "completed", finishedAt: new Date() } });
    const response = await post({ intent: "backfill" });
    const started = await prisma.backfill.findFirstOrThrow({ where: { shop: TEST_SHOP, status: "running" } });
    expect(response).toEqual({ started: started.id });
    expect(started.trigger).toBe("manual");
    expect(await post({ intent: "backfill" })).toEqual({ started: started.id });
    expect(await prisma.backfill.count({ where: { shop: TEST_SHOP, status: "running" } })).toBe(1);
  });

  it("shows dates in the shop's stored time zone", async () => {
    await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { ianaTimezone: "Europe/Warsaw" } });
    expect((await load()).health.timeZone).toBe("Europe/Warsaw");
  });

  it.each([
    [{ intent: "drop-tables" }],
    [{ intent: "retry-job", jobId: "abc" }],
    [{ intent: "retry-job", jobId: "-1" }],
    [{ intent: "retry-job" }],
    [{ intent: "retry-delivery", deliveryId: "1.5" }],
    [{}],
  ])("refuses %j with 400 and changes nothing", async (form) => {
    await deadJob(TEST_SHOP);
    const jobs = await jobStatuses();
    const backfills = await prisma.backfill.count();
    const response = (await post(form as Record<string, string>)) as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String) });
    expect(await jobStatuses()).toEqual(jobs);
    expect(await prisma.backfill.count()).toBe(backfills);
  });

  it("has a name for every kind of job the worker runs", () => {
    expect(Object.keys(JOB_HANDLERS).filter((kind) => jobKindKey(kind) === null)).toEqual([]);
    expect(jobKindKey("no-such-kind")).toBeNull();
  });
});
