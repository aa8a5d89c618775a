import type { WebhookDelivery } from "@prisma/client";
import { z } from "zod";
import { fetchCustomer } from "~/admin-api/customers.server";
import { fetchOrderRefunds } from "~/admin-api/orders.server";
import { requestCustomerRecompute, requestCustomerWriteBack, requestOrderPoints } from "~/jobs/catalogue.server";
import { retryDelayMs } from "~/jobs/queue.server";
import { describeError, logEvent } from "~/log.server";
import { isPermanentFailure, type InboxLane, type WorkContext } from "~/jobs/types";
import { eraseCustomerLoyalty } from "~/loyalty-models/ledger.server";
import { heldCustomer, reflectsOwnWrite } from "~/write-back/echoes.server";
import { wakeWaitingWriteBack } from "~/write-back/write-back-jobs.server";
import { eraseCustomerLifecycle } from "~/lifecycle-models/recompute.server";
import { forgetCachedSessions } from "~/shops/sessions.server";
import { eraseShop, recordScopesUpdate, recordUninstallation } from "~/shops/installation.server";
import { eraseCustomerData } from "~/compliance/customer-data.server";
import { recordDataRequest } from "~/compliance/data-requests.server";
import { wakeWaitingBackfill } from "~/sync/backfill.server";
import { customerGid, legacyId, orderGid } from "~/admin-api/gid";
import { CustomerPayload, CustomersDataRequestPayload, CustomersRedactPayload, customerFromGraphql, orderFromPayload, refundFromGraphql, RefundPayload } from "~/sync/records";
import { deleteCustomer, upsertCustomers, upsertOrders, upsertRefunds } from "~/sync/upserts.server";
import { claimDelivery, MAX_ATTEMPTS, releaseDelivery, renewDeliveryLease } from "./inbox.server";
import { claimQueuedDelivery } from "./inbox-queue.server";
import { inboxOnPgBoss } from "~/jobs/engines.server";
import { isProcessedTopic, type ProcessedTopic } from "./topics";
import { settleDelivery } from "./retention.server";
import { malformedPayloadReason, parseExactJson } from "./exact-json";

/** A delivery that can never be applied as sent; retrying would not help. */
export class UnprocessableDeliveryError extends Error {
  override name = "UnprocessableDeliveryError";
}

/**
 * What processing learnt: the customer and order it concerned (kept on the delivery, for
 * customers/redact; the order's points may have changed), or why it was ignored.
 */
interface Outcome {
  customerId?: string | null;
  orderId?: string | null;
  ignored?: string;
}

type Handler = (context: WorkContext, delivery: WebhookDelivery, payload: unknown) => Promise<Outcome | void>;

const ScopesUpdatePayload = z.object({ current: z.array(z.string()) });
const ShopRedactPayload = z.object({ shop_domain: z.string() });
const BulkOperationFinishPayload = z.object({ admin_graphql_api_id: z.string(), status: z.string() });

// A customer's stage depends on their orders; a new customer is a new prospect. Edits to a
// customer (including our own tag writes) change nothing in the lifecycle.
const RECOMPUTED_AFTER = new Set(["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "refunds/create", "customers/create"]);

// Compliance and app topics are processed even for an uninstalled shop (redaction comes 48 h after uninstall).
const ALWAYS_PROCESSED = new Set(["app/uninstalled", "app/scopes_update", "shop/redact", "customers/redact", "customers/data_request"]);

function ensureSameShop(delivery: WebhookDelivery, shopDomain: string) {
  if (shopDomain !== delivery.shop) throw new UnprocessableDeliveryError(`${delivery.topic} for ${shopDomain} delivered as ${delivery.shop}`);
}

const upsertOrderFromPayload: Handler = async ({ db }, delivery, payload) => {
  const order = orderFromPayload(payload);
  await upsertOrders(db, delivery.shop, [order], delivery.triggeredAt ?? delivery.receivedAt);
  return { customerId: order.customerId, orderId: order.id };
};

// Since 2025-01 customer payloads carry neither tags nor marketing consent; the customer is read
// whole from GraphQL instead. What it returns is the latest state, so the order deliveries come in does not matter.
const refreshCustomer: Handler = async ({ db, now, adminFor }, delivery, payload) => {
  const { admin_graphql_api_id: customerId } = CustomerPayload.parse(payload);
  const held = await heldCustomer(db, delivery.shop, customerId);
  // The echo of our own tag write: its answer already gave us this customer.
  if (reflectsOwnWrite(held, payload)) return { customerId };
  const customer = await fetchCustomer(await adminFor(delivery.shop), customerGid(customerId));
  // Gone since (customers/delete follows): nothing to write.
  if (!customer) return { customerId };
  const record = customerFromGraphql(customer);
  await upsertCustomers(db, delivery.shop, [record], now());
  // Their tags changed in Shopify (one of ours removed, say): write-back looks at them again.
  if (held && held.tags !== record.tags) await requestCustomerWriteBack(db, delivery.shop, customerId, now());
  return { customerId };
};

const handlers: Record<ProcessedTopic, Handler> = {
  "app/uninstalled": async ({ db }, delivery) => {
    await recordUninstallation(db, delivery.shop, delivery.triggeredAt ?? delivery.receivedAt);
    forgetCachedSessions(delivery.shop);
  },
  "app/scopes_update": async ({ db }, delivery, payload) => {
    await recordScopesUpdate(db, delivery.shop, ScopesUpdatePayload.parse(payload).current);
    forgetCachedSessions(delivery.shop);
  },
  "shop/redact": async ({ db }, delivery, payload) => {
    ensureSameShop(delivery, ShopRedactPayload.parse(payload).shop_domain);
    // Shopify asks 48 hours after an uninstall; a shop that came back since is using the app again.
    const requestedAt = delivery.triggeredAt ?? delivery.receivedAt;
    const installation = await db.shop.findUnique({ where: { shop: delivery.shop }, select: { installedAt: true } });
    if (installation && installation.installedAt > requestedAt) {
      return { ignored: `Ignored: the shop installed the app again on ${installation.installedAt.toISOString()}, after this request (${requestedAt.toISOString()})` };
    }
    await eraseShop(db, delivery.shop);
    forgetCachedSessions(delivery.shop);
  },
  "customers/redact": async ({ db, now }, delivery, payload) => {
    const request = CustomersRedactPayload.parse(payload);
    ensureSameShop(delivery, request.shop_domain);
    const customerId = request.customer.id;
    const orderIds = request.orders_to_redact;
    await eraseCustomerData(db, { shop: delivery.shop, customerId, orderIds, deliveryId: delivery.id }, now());
    return { customerId };
  },
  "customers/data_request": async ({ db, now }, delivery, payload) => {
    const request = CustomersDataRequestPayload.parse(payload);
    ensureSameShop(delivery, request.shop_domain);
    const customerId = request.customer.id;
    const orderIds = request.orders_requested;
    await recordDataRequest(
      db,
      {
        shop: delivery.shop,
        customerId,
        orderIds,
        deliveryId: delivery.id,
        webhookId: delivery.webhookId,
        shopifyRequestId: request.data_request?.id ?? null,
        requestedAt: delivery.triggeredAt ?? delivery.receivedAt,
      },
      now(),
    );
    return { customerId };
  },
  "customers/create": refreshCustomer,
  "customers/update": refreshCustomer,
  "customers/delete": async ({ db, now }, delivery, payload) => {
    const { admin_graphql_api_id: customerId } = CustomerPayload.parse(payload);
    await deleteCustomer(db, delivery.shop, customerId, delivery.triggeredAt ?? now());
    await eraseCustomerLifecycle(db, delivery.shop, customerId);
    await eraseCustomerLoyalty(db, delivery.shop, customerId);
    return { customerId };
  },
  "orders/create": upsertOrderFromPayload,
  "orders/updated": upsertOrderFromPayload,
  "orders/paid": upsertOrderFromPayload,
  "orders/cancelled": upsertOrderFromPayload,
  // The refund's amount in shop money, exactly, comes from GraphQL with the order's other refunds.
  "refunds/create": async ({ db, adminFor }, delivery, payload) => {
    const { order_id } = RefundPayload.parse(payload);
    const order = await fetchOrderRefunds(await adminFor(delivery.shop), orderGid(order_id));
    if (!order) return;
    const orderId = legacyId(order.id, "Order");
    await upsertRefunds(db, delivery.shop, order.refunds.map((refund) => refundFromGraphql(refund, orderId)));
    const held = await db.order.findUnique({ where: { shop_id: { shop: delivery.shop, id: orderId } }, select: { customerId: true } });
    return { customerId: held?.customerId ?? null, orderId };
  },
  // Whichever of our jobs waits for a bulk operation continues now instead of at its next look.
  "bulk_operations/finish": async ({ db, now }, delivery, payload) => {
    BulkOperationFinishPayload.parse(payload);
    await wakeWaitingBackfill(db, delivery.shop, now());
    await wakeWaitingWriteBack(db, delivery.shop, now());
  },
};

/** The stored payload, read exactly; one that is not JSON can never be applied (intake reads only some topics' payloads). */
function readPayload(delivery: WebhookDelivery): unknown {
  try {
    return parseExactJson(delivery.payload);
  } catch (error) {
    throw new UnprocessableDeliveryError(malformedPayloadReason(error));
  }
}

type DeliveryOutcome = { outcome: "processed" | "skipped" | "retrying" | "failed"; error?: unknown };

/** Applies one claimed delivery (applyDelivery), and logs its outcome and duration. */
export async function processDelivery(context: WorkContext, delivery: WebhookDelivery): Promise<void> {
  const started = performance.now();
  const { outcome, error } = await applyDelivery(context, delivery);
  logEvent(outcome === "failed" ? "error" : outcome === "retrying" ? "warn" : "info", "webhook.processed", {
    shop: delivery.shop,
    topic: delivery.topic,
    webhookId: delivery.webhookId,
    attempt: delivery.attempts,
    durationMs: performance.now() - started,
    outcome,
    error,
  });
}

/** A failure is kept with its reason and retried with backoff, up to MAX_ATTEMPTS. */
async function applyDelivery(context: WorkContext, delivery: WebhookDelivery): Promise<DeliveryOutcome> {
  const { db, now } = context;
  const mine = { id: delivery.id, lockedBy: delivery.lockedBy, status: "processing" };
  const handler = isProcessedTopic(delivery.topic) ? handlers[delivery.topic] : null;
  if (!handler) {
    const lastError = `No processor for topic ${delivery.topic}`;
    await db.webhookDelivery.updateMany({ where: mine, data: { status: "failed", lastError, lockedBy: null, lockedUntil: null } });
    return { outcome: "failed", error: lastError };
  }
  if (!ALWAYS_PROCESSED.has(delivery.topic)) {
    const shop = await db.shop.findUnique({ where: { shop: delivery.shop }, select: { uninstalledAt: true } });
    if (shop?.uninstalledAt) {
      await settleDelivery(db, delivery, mine, { status: "skipped", lastError: "Shop uninstalled", processedAt: now(), lockedBy: null, lockedUntil: null });
      return { outcome: "skipped" };
    }
  }
  try {
    // Read exactly: a JSON.parse would round 64-bit ids (refunds/create's order_id, compliance ids).
    const outcome = await handler(context, delivery, readPayload(delivery));
    if (outcome?.ignored) {
      await settleDelivery(db, delivery, mine, { status: "skipped", lastError: outcome.ignored, processedAt: now(), lockedBy: null, lockedUntil: null });
      return { outcome: "skipped" };
    }
    // Whatever changed about a customer may change their stage: recompute them (collapsed per customer).
    if (outcome?.customerId && RECOMPUTED_AFTER.has(delivery.topic)) await requestCustomerRecompute(db, delivery.shop, outcome.customerId, now());
    // Paid, refunded or cancelled: the order's points are settled again (collapsed per order).
    if (outcome?.orderId) await requestOrderPoints(db, delivery.shop, outcome.orderId, now());
    // shop/redact erases the delivery itself along with the shop, hence updateMany.
    await settleDelivery(db, delivery, mine, {
      status: "processed",
      processedAt: now(),
      lastError: null,
      lockedBy: null,
      lockedUntil: null,
      customerId: outcome?.customerId ?? null,
      orderId: outcome?.orderId ?? null,
    });
    return { outcome: "processed" };
  } catch (error) {
    // A payload that does not fit its topic will not fit it next time either, nor will ids Shopify refused.
    const permanent = error instanceof UnprocessableDeliveryError || isPermanentFailure(error) || delivery.attempts >= MAX_ATTEMPTS;
    await db.webhookDelivery.updateMany({
      where: mine,
      data: {
        status: permanent ? "failed" : "pending",
        lastError: describeError(error),
        availableAt: permanent ? null : new Date(now().getTime() + retryDelayMs(delivery.attempts)),
        lockedBy: null,
        lockedUntil: null,
      },
    });
    return { outcome: permanent ? "failed" : "retrying", error };
  }
}

/** The worker's inbox lane: each delivery claimed with a lease and processed as one piece of work. */
export const webhookInbox: InboxLane = {
  async claim(db, workerId, now, leaseUntil) {
    // On pg-boss, its `webhook` queue dispatches the deliveries (inbox-queue.server.ts).
    if (await inboxOnPgBoss(db)) {
      const queued = await claimQueuedDelivery(db, workerId, now, leaseUntil, MAX_ATTEMPTS);
      if (!queued) return null;
      const { delivery } = queued;
      return {
        label: `delivery ${delivery.id} (${delivery.topic})`,
        lockedUntil: delivery.lockedUntil,
        renew: queued.renew,
        async process(context) {
          await processDelivery(context, delivery);
          // Through the leased client: a delivery taken over meanwhile is left to the worker that has it.
          await queued.settle(context.db);
        },
        release: queued.release,
      };
    }
    const delivery = await claimDelivery(db, workerId, now, leaseUntil);
    if (!delivery) return null;
    return {
      label: `delivery ${delivery.id} (${delivery.topic})`,
      lockedUntil: delivery.lockedUntil,
      renew: (client, until) => renewDeliveryLease(client, delivery, until),
      process: (context) => processDelivery(context, delivery),
      release: (client) => releaseDelivery(client, delivery),
    };
  },
};
