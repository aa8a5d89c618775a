import { Prisma } from "@prisma/client";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, expect } from "vitest";
import prisma from "~/db.server";
import { forgetCachedSessions } from "~/shops/sessions.server";
import { BACKFILL_JOB } from "~/jobs/catalogue.server";
import { backfillJobWithBatchSize } from "~/sync/backfill.server";
import { toMinorUnits } from "~/money";
import { BULK_OPERATION_STATUS_QUERY } from "~/admin-api/bulk-operations.server";
import type { AdminApi } from "~/admin-api/client.server";
import { adminForShop } from "~/app-worker.server";
import type { WorkContext } from "~/jobs/types";
import { bulkOperationsSettled, type Sandbox, type SandboxShop } from "@lifecycle/shopify-sandbox";
import { openAppAsMerchant } from "../support/install";
import { testWorker, type TestWorkerOptions } from "../support/worker";
import { deleteJobs } from "../support/jobs";

export const shopScope = { where: { shop: TEST_SHOP } };

/** Forgets everything the app knows of TEST_SHOP (and any other shop), its session included, so the next visit installs afresh. */
export async function forgetShop() {
  // Every table, read from the schema: one added later is forgotten too.
  await prisma.$transaction(Prisma.dmmf.datamodel.models.map((model) => prisma.$executeRawUnsafe(`DELETE FROM "${model.dbName ?? model.name}"`)));
  // pg-boss's jobs are in its own tables.
  await deleteJobs();
  forgetCachedSessions(TEST_SHOP);
}

/**
 * The merchant installs the app and the sandbox store is imported, once for the test file (or the
 * describe block it is called in), before its first test: the sandbox's request handlers are only
 * in place once a test starts, so this cannot be a beforeAll.
 */
export function importStoreOnce(sandbox: Sandbox, shop: SandboxShop, hooks: { beforeImport?: () => unknown; afterImport?: () => Promise<unknown> } = {}) {
  let imported = false;
  beforeEach(async () => {
    if (imported) return;
    imported = true;
    await openAppAsMerchant();
    await hooks.beforeImport?.();
    await runBackfill(sandbox, shop);
    await hooks.afterImport?.();
  });
}

/** Runs a worker until the shop's latest backfill is over, letting the sandbox's bulk operations finish in between. */
export async function runBackfill(sandbox: Sandbox, shop: SandboxShop, options: TestWorkerOptions = {}) {
  const worker = testWorker({ handlers: { [BACKFILL_JOB]: backfillJobWithBatchSize(25) }, ...options });
  for (let round = 0; round < 50; round += 1) {
    await worker.runUntilIdle();
    const latest = await prisma.backfill.findFirstOrThrow({ ...shopScope, orderBy: { id: "desc" } });
    if (latest.status !== "running") return latest;
    await bulkOperationsSettled(shop);
    // bulk_operations/finish reaches the webhook route and wakes the waiting backfill.
    await sandbox.webhooks(TEST_SHOP).flush();
  }
  throw new Error("backfill did not finish");
}

/** Our database holds exactly the sandbox store's customers, orders and refunds, field for field. */
export async function expectStoreMirrored(shop: SandboxShop) {
  const customers = await prisma.customer.findMany(shopScope);
  const orders = await prisma.order.findMany(shopScope);
  const refunds = await prisma.refund.findMany(shopScope);
  expect(customers).toHaveLength(shop.customers().length);
  expect(orders).toHaveLength(shop.orders().length);
  expect(refunds).toHaveLength(shop.orders().reduce((sum, order) => sum + order.refunds.length, 0));
  for (const customer of customers) {
    const truth = shop.customer(Number(customer.id))!;
    expect(customer).toMatchObject({ email: truth.email, firstName: truth.firstName, tags: truth.tags.join(", "), updatedAt: new Date(truth.updatedAt) });
  }
  for (const order of orders) {
    const truth = shop.order(Number(order.id))!;
    expect(order).toMatchObject({
      customerId: truth.customerId === null ? null : String(truth.customerId),
      financialStatus: truth.financialStatus,
      cancelledAt: truth.cancelledAt ? new Date(truth.cancelledAt) : null,
      subtotalMinor: toMinorUnits(truth.subtotalPrice, "USD"),
      totalMinor: toMinorUnits(truth.totalPrice, "USD"),
      test: truth.test,
      discountCodes: JSON.stringify(truth.discountCodes),
      updatedAt: new Date(truth.updatedAt),
    });
    const refunded = refunds.filter((refund) => refund.orderId === order.id).reduce((sum, refund) => sum + refund.amountMinor, 0);
    expect(refunded).toBe(truth.refunds.reduce((sum, refund) => sum + toMinorUnits(refund.totalRefunded, "USD"), 0));
  }
}

/** The Admin API as a job gets it, with each read of a bulk operation's status passed through `read`. */
function withBulkStatus(read: (status: () => Promise<unknown>) => Promise<unknown>): WorkContext["adminFor"] {
  return async (shop, onCost) => {
    const api = await adminForShop(shop, onCost);
    const request: AdminApi["request"] = (document, variables) =>
      document === BULK_OPERATION_STATUS_QUERY ? (read(() => api.request(document, variables)) as never) : api.request(document, variables);
    return { request };
  };
}

/**
 * Every export the shop runs has ended before the job reads a status: the sandbox may or may not
 * finish one before the job first looks (faster on a slower database), so this race is made certain.
 */
export function settledBulkExports(shop: SandboxShop): WorkContext["adminFor"] {
  return withBulkStatus(async (status) => {
    await bulkOperationsSettled(shop);
    return status();
  });
}
