import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { orderFromPayload } from "~/sync/records";
import { PROCESSED_TOPICS } from "~/webhooks/topics";
import { DELIVERY_RETENTION_MS, KEPT_FIELDS } from "~/webhooks/retention.server";
import { appUninstalledPayload, customerPayload, customersDataRequestPayload, customersRedactPayload, orderPayload, refundPayload, type SandboxCustomer } from "@lifecycle/shopify-sandbox";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { openAppAsMerchant } from "../support/install";
import { signedWebhookRequest } from "../support/webhooks";
import { testWorker } from "../support/worker";
import { forgetShop } from "../sync/support";
import { countJobs } from "../support/jobs";

const { shop } = installTestSandbox({ customers: 12, seed: 41 });
routeWebhooksToApp(action);
const worker = testWorker();
const DAY = 24 * 60 * 60 * 1000;

async function deliver(topic: string, body: object | string) {
  const request = signedWebhookRequest({ topic, ...(typeof body === "string" ? { rawBody: body } : { body }) });
  const webhookId = request.headers.get("x-shopify-webhook-id")!;
  const response = await action({ request, params: {}, context: {} });
  expect(response.status).toBe(200);
  await worker.runUntilIdle();
  return prisma.webhookDelivery.findUnique({ where: { webhookId } });
}

/** Every personal value Shopify's payload carries about a customer: none may stay in a processed payload. */
function personalValues(customer: SandboxCustomer): string[] {
  const values = [customer.email, customer.phone, customer.firstName, customer.lastName, customer.note];
  for (const address of customer.addresses) values.push(address.address1, address.address2, address.city, address.zip, address.phone);
  return values.filter((value): value is string => typeof value === "string" && value.length > 3);
}

/** A customer with an address and a phone, with a paid order, so the payloads carry all of it. */
function buyer() {
  const customer = shop.customers().find((candidate) => candidate.phone && candidate.addresses.length > 0 && shop.ordersOfCustomer(candidate.id).some((order) => order.refunds.length > 0))!;
  return { customer, order: shop.ordersOfCustomer(customer.id).find((order) => order.refunds.length > 0)! };
}

beforeEach(async () => {
  await forgetShop();
  await openAppAsMerchant();
});

describe("raw payloads once processed", () => {
  it("keep only the fields their processing reads (checked against Shopify's 2026-07 payloads): no email, phone, name, address, IP or line item", async () => {
    const { customer, order } = buyer();
    const payloads: Record<string, object> = {
      "orders/create": orderPayload(shop, order),
      "orders/updated": { ...orderPayload(shop, order), browser_ip: "203.0.113.7", client_details: { browser_ip: "203.0.113.7", user_agent: "Mozilla/5.0" } },
      "refunds/create": refundPayload(shop, order, order.refunds[0]!),
      "customers/update": customerPayload(shop, customer),
      "customers/data_request": customersDataRequestPayload(shop, customer, { dataRequestId: 9 }),
      "app/uninstalled": appUninstalledPayload(shop),
    };
    // Every topic we process has its list of kept fields.
    expect(Object.keys(KEPT_FIELDS).sort()).toEqual([...PROCESSED_TOPICS].sort());

    for (const [topic, payload] of Object.entries(payloads)) {
      const stored = (await deliver(topic, payload))!;
      expect({ topic, status: stored.status }).toEqual({ topic, status: "processed" });
      const kept = JSON.parse(stored.payload) as Record<string, unknown>;
      expect({ topic, fields: Object.keys(kept).sort() }).toEqual({ topic, fields: Object.keys(KEPT_FIELDS[topic]!).sort() });
      for (const value of [...personalValues(customer), "203.0.113.7", order.lineItems[0]!.title, appUninstalledPayload(shop).email]) {
        expect({ topic, leaks: stored.payload.includes(value) ? value : null }).toEqual({ topic, leaks: null });
      }
    }
  });

  it("still give the same order when processed again, ids exact to the last digit", async () => {
    const { order } = buyer();
    const payload = orderPayload(shop, order);
    // Shopify's ids are 64-bit: above 2^53, JSON.parse in JavaScript would round them.
    const raw = JSON.stringify({ ...payload, id: "ORDER_ID", customer: { ...payload.customer, id: "CUSTOMER_ID" } })
      .replace('"ORDER_ID"', "820982911946154508")
      .replace('"CUSTOMER_ID"', "115310627314723954");

    const stored = (await deliver("orders/create", raw))!;

    expect(stored.status).toBe("processed");
    // Stripped (no line items, no addresses) …
    expect(Object.keys(JSON.parse(stored.payload) as object).sort()).toEqual(Object.keys(KEPT_FIELDS["orders/create"]!).sort());
    // … with every id exactly as Shopify sent it, and all that processing reads.
    expect(stored.payload).toContain('"id":820982911946154508');
    expect(stored.payload).toContain('"customer":{"id":115310627314723954,');
    expect(orderFromPayload(JSON.parse(stored.payload))).toEqual(orderFromPayload(payload));
  });

  it("of customers/redact keep who and what was erased, not the customer's email or phone", async () => {
    const { customer } = buyer();
    const body = customersRedactPayload(shop, customer);

    const stored = (await deliver("customers/redact", body))!;

    expect(JSON.parse(stored.payload)).toEqual({ shop_id: body.shop_id, shop_domain: TEST_SHOP, customer: { id: customer.id }, orders_to_redact: body.orders_to_redact });
  });
});

describe("the retention job", () => {
  it("deletes deliveries 30 days after processing, for an uninstalled shop too, with no reconciliation running", async () => {
    const { order } = buyer();
    const old = (await deliver("orders/updated", orderPayload(shop, order)))!;
    const recent = (await deliver("orders/paid", orderPayload(shop, order)))!;
    await deliver("app/uninstalled", appUninstalledPayload(shop));
    // Everything of the shop stopped with the uninstall, reconciliation included.
    expect(await countJobs({ shop: TEST_SHOP, status: ["queued", "running"] })).toBe(0);
    // Processed two days later than the other (a retry).
    await prisma.webhookDelivery.update({ where: { id: recent.id }, data: { processedAt: new Date(recent.processedAt!.getTime() + 2 * DAY) } });

    const later = new Date(old.processedAt!.getTime() + DELIVERY_RETENTION_MS + DAY);
    await testWorker({ now: () => later }).runUntilIdle();

    expect(await prisma.webhookDelivery.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await prisma.webhookDelivery.findUnique({ where: { id: recent.id } })).not.toBeNull();
    expect(await prisma.reconciliationRun.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });

  it("erases, within the hour, a failed delivery about a customer redacted before it arrived", async () => {
    const { customer, order } = buyer();
    await deliver("customers/redact", customersRedactPayload(shop, customer));
    // Shopify sends an update of one of their orders that cannot be applied (it fails at once, keeping its whole payload).
    const { total_price_set: _missing, ...unfit } = orderPayload(shop, order);
    const failed = (await deliver("orders/updated", unfit))!;
    expect(failed.status).toBe("failed");
    // Someone else's failed delivery stays for the merchant to look at.
    const other = shop.customers().find((candidate) => candidate.id !== customer.id && shop.ordersOfCustomer(candidate.id).length > 0)!;
    const { total_price_set: _alsoMissing, ...otherUnfit } = orderPayload(shop, shop.ordersOfCustomer(other.id)[0]!);
    const kept = (await deliver("orders/updated", otherUnfit))!;

    await testWorker({ now: () => new Date(Date.now() + 61 * 60 * 1000) }).runUntilIdle();

    expect(await prisma.webhookDelivery.findUnique({ where: { id: failed.id } })).toBeNull();
    expect(await prisma.webhookDelivery.findUnique({ where: { id: kept.id } })).toMatchObject({ status: "failed" });
  });
});
