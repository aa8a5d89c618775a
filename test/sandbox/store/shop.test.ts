import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "./clock";
import { SandboxUserError } from "./errors";
import { generateShopData } from "./generate";
import { shopLegacyId } from "./ids";
import type { SandboxShopInfo } from "./model";
import { SandboxShop } from "./shop";
import type { ShopChange } from "./shop-api";

const INFO: SandboxShopInfo = {
  domain: "shop-test.myshopify.com",
  name: "Shop Test",
  email: "owner@shop-test.example",
  currencyCode: "USD",
  ianaTimezone: "America/New_York",
  plan: "STANDARD",
  createdAt: "2026-01-01T00:00:00Z",
};
const HOUR = 3_600_000;

let clock: ManualClock;
let shop: SandboxShop;
let changes: ShopChange[];

beforeEach(() => {
  clock = new ManualClock("2026-11-20T10:00:00Z");
  shop = SandboxShop.empty(INFO, { clock: clock.now });
  changes = [];
  shop.onChange((change) => changes.push(change));
});

function userError(action: () => unknown): SandboxUserError {
  try {
    action();
  } catch (error) {
    if (error instanceof SandboxUserError) return error;
    throw error;
  }
  throw new Error("expected a SandboxUserError");
}

const anna = () => shop.createCustomer({ firstName: "Anna", lastName: "Nowak", email: "anna@example.com" });
const beans = { title: "Beans", sku: "BEAN", quantity: 2, price: "14.00" };
const mug = { title: "Mug", sku: "MUG", quantity: 1, price: "18.00" };

describe("customers", () => {
  it("creates a customer with Shopify defaults and announces it", () => {
    const customer = shop.createCustomer({ firstName: " Anna ", email: "anna@example.com", acceptsMarketing: true, tags: ["vip, newsletter"] });

    expect(customer).toMatchObject({
      firstName: "Anna",
      lastName: null,
      state: "DISABLED",
      tags: ["newsletter", "vip"],
      createdAt: "2026-11-20T10:00:00Z",
      emailMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: "2026-11-20T10:00:00Z" },
    });
    expect(customer.id).toBeGreaterThan(1e12);
    expect(shop.customer(customer.id)).toBe(customer);
    expect(changes).toEqual([{ kind: "customer/created", customer, at: "2026-11-20T10:00:00Z" }]);
  });

  it("refuses what Shopify refuses", () => {
    anna();
    expect(userError(() => shop.createCustomer({}))).toMatchObject({ code: "BLANK" });
    expect(userError(() => shop.createCustomer({ email: "not-an-email" }))).toMatchObject({ field: ["email"], code: "INVALID" });
    expect(userError(() => shop.createCustomer({ email: "ANNA@example.com" }))).toMatchObject({ field: ["email"], code: "TAKEN" });
    expect(userError(() => shop.createCustomer({ firstName: "Bo", acceptsMarketing: true }))).toMatchObject({ field: ["emailMarketingConsent"] });
    expect(userError(() => shop.createCustomer({ firstName: "x".repeat(256) }))).toMatchObject({ code: "TOO_LONG" });
  });

  it("stores phones in E.164 and keeps them unique", () => {
    const customer = shop.createCustomer({ firstName: "Bo", phone: "(613) 555-0100" });
    expect(customer.phone).toBe("+16135550100");
    expect(userError(() => shop.createCustomer({ firstName: "Cy", phone: "+1 613 555 0100" }))).toMatchObject({ field: ["phone"], code: "TAKEN" });
    expect(userError(() => shop.createCustomer({ firstName: "Cy", phone: "call me" }))).toMatchObject({ field: ["phone"], code: "INVALID" });
  });

  it("updates a customer, bumping updatedAt, and stays quiet when nothing changes", () => {
    const customer = anna();
    clock.advance(HOUR);
    shop.updateCustomer(customer.id, { lastName: "Kowalska", email: "anna.k@example.com" });

    expect(customer).toMatchObject({ lastName: "Kowalska", email: "anna.k@example.com", updatedAt: "2026-11-20T11:00:00Z" });
    expect(changes.map((change) => change.kind)).toEqual(["customer/created", "customer/updated"]);
    // The old address is free again, the new one is taken.
    expect(shop.createCustomer({ email: "anna@example.com" }).email).toBe("anna@example.com");
    expect(userError(() => shop.createCustomer({ email: "anna.k@example.com" }))).toMatchObject({ code: "TAKEN" });

    changes.length = 0;
    shop.updateCustomer(customer.id, { lastName: "Kowalska" });
    expect(changes).toEqual([]);
  });

  it("records consent changes with the time they happened", () => {
    const customer = anna();
    clock.advance(HOUR);
    shop.updateCustomer(customer.id, {
      emailMarketingConsent: { marketingState: "UNSUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null },
    });
    expect(customer.emailMarketingConsent).toEqual({
      marketingState: "UNSUBSCRIBED",
      marketingOptInLevel: "SINGLE_OPT_IN",
      consentUpdatedAt: "2026-11-20T11:00:00Z",
    });
    const phoneOnly = shop.createCustomer({ phone: "+48600100200" });
    expect(
      userError(() =>
        shop.updateCustomer(phoneOnly.id, { emailMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: null, consentUpdatedAt: null } }),
      ),
    ).toMatchObject({ field: ["emailMarketingConsent"] });
  });

  it("reports unknown customers as NOT_FOUND", () => {
    expect(userError(() => shop.updateCustomer(42, { note: "x" }))).toMatchObject({ field: ["id"], code: "NOT_FOUND" });
    expect(userError(() => shop.addCustomerTags(42, ["VIP"]))).toMatchObject({ code: "NOT_FOUND" });
    expect(userError(() => shop.createOrder({ customerId: 42, lineItems: [beans], paid: true }))).toMatchObject({ field: ["customerId"] });
  });

  it("deletes a customer without orders, but not one with orders", () => {
    const buyer = anna();
    shop.createOrder({ customerId: buyer.id, lineItems: [beans], paid: true });
    expect(userError(() => shop.deleteCustomer(buyer.id))).toMatchObject({ field: ["id"] });

    const prospect = shop.createCustomer({ email: "bo@example.com" });
    shop.setMetafields([{ ownerType: "CUSTOMER", ownerId: prospect.id, namespace: "custom", key: "tier", type: "single_line_text_field", value: "gold" }]);
    shop.deleteCustomer(prospect.id);

    expect(shop.customer(prospect.id)).toBeUndefined();
    expect(shop.customers().map((customer) => customer.id)).toEqual([buyer.id]);
    expect(shop.metafieldsOf("CUSTOMER", prospect.id)).toEqual([]);
    expect(changes.at(-1)).toEqual({ kind: "customer/deleted", customerId: prospect.id, at: "2026-11-20T10:00:00Z" });
    expect(shop.createCustomer({ email: "bo@example.com" }).email).toBe("bo@example.com");
  });
});

describe("tags", () => {
  it("trims, splits on commas, deduplicates case-insensitively and sorts, as Shopify does", () => {
    const customer = anna();
    clock.advance(HOUR);
    shop.addCustomerTags(customer.id, [" VIP ", "wholesale,vip", "", "Newsletter"]);

    expect(customer.tags).toEqual(["Newsletter", "VIP", "wholesale"]);
    expect(customer.updatedAt).toBe("2026-11-20T11:00:00Z");
    expect(changes.at(-1)).toMatchObject({ kind: "customer/updated", customer });

    shop.removeCustomerTags(customer.id, ["newsletter", "WHOLESALE"]);
    expect(customer.tags).toEqual(["VIP"]);
  });

  it("changes nothing and announces nothing when the tags are already there", () => {
    const customer = anna();
    shop.addCustomerTags(customer.id, ["VIP"]);
    const count = changes.length;
    shop.addCustomerTags(customer.id, ["vip"]);
    shop.removeCustomerTags(customer.id, ["absent"]);
    expect(changes).toHaveLength(count);
  });

  it("refuses tags over 255 characters and blank tag lists", () => {
    const customer = anna();
    expect(userError(() => shop.addCustomerTags(customer.id, ["x".repeat(256)]))).toMatchObject({ field: ["tags"], code: "TOO_LONG" });
    expect(userError(() => shop.addCustomerTags(customer.id, [" , "]))).toMatchObject({ field: ["tags"], code: "BLANK" });
    expect(shop.addCustomerTags(customer.id, ["x".repeat(255)]).tags).toHaveLength(1);
  });
});

describe("orders", () => {
  it("creates an order with Shopify's totals, numbering and status", () => {
    const customer = anna();
    const order = shop.createOrder({
      customerId: customer.id,
      lineItems: [beans, mug],
      totalDiscounts: "4.60",
      totalShipping: "5.95",
      discountCodes: ["WELCOME10"],
      customAttributes: [{ key: "lifecycle_ref", value: "ANNA-7Q2" }],
      paid: false,
    });

    expect(order).toMatchObject({
      name: "#1001",
      number: 1001,
      email: "anna@example.com",
      financialStatus: "PENDING",
      fulfillmentStatus: "UNFULFILLED",
      subtotalPrice: "41.40",
      totalDiscounts: "4.60",
      totalShipping: "5.95",
      totalPrice: "47.35",
      test: false,
    });
    expect(order.lineItems.map((item) => item.id)).toEqual([order.id + 1, order.id + 2]);
    expect(shop.ordersOfCustomer(customer.id)).toEqual([order]);
    expect(shop.createOrder({ customerId: null, lineItems: [mug], paid: true }).name).toBe("#1002");
    expect(changes.filter((change) => change.kind === "order/created")).toHaveLength(2);
  });

  it("validates line items and amounts", () => {
    const id = anna().id;
    expect(userError(() => shop.createOrder({ customerId: id, lineItems: [], paid: true }))).toMatchObject({ field: ["lineItems"] });
    expect(userError(() => shop.createOrder({ customerId: id, lineItems: [{ ...beans, quantity: 0 }], paid: true }))).toMatchObject({
      field: ["lineItems", "0", "quantity"],
    });
    expect(userError(() => shop.createOrder({ customerId: id, lineItems: [{ ...beans, price: "1.234" }], paid: true }))).toMatchObject({
      field: ["lineItems", "0", "price"],
    });
    expect(userError(() => shop.createOrder({ customerId: id, lineItems: [mug], totalDiscounts: "18.01", paid: true }))).toMatchObject({
      field: ["totalDiscounts"],
    });
  });

  it("marks a pending order paid once", () => {
    const order = shop.createOrder({ customerId: anna().id, lineItems: [beans], paid: false });
    clock.advance(HOUR);
    shop.markOrderPaid(order.id);

    expect(order).toMatchObject({ financialStatus: "PAID", updatedAt: "2026-11-20T11:00:00Z" });
    expect(changes.at(-1)).toEqual({ kind: "order/paid", order, at: "2026-11-20T11:00:00Z" });
    expect(userError(() => shop.markOrderPaid(order.id))).toMatchObject({ field: ["id"] });
  });
});

describe("refunds", () => {
  it("refunds part of an order, then the rest, and moves the financial status along", () => {
    const order = shop.createOrder({ customerId: anna().id, lineItems: [beans, mug], totalShipping: "5.95", paid: true });
    clock.advance(HOUR);
    const partial = shop.createRefund(order.id, { lineItems: [{ lineItemId: order.lineItems[0]!.id, quantity: 1 }], note: "Damaged" });

    expect(partial).toMatchObject({ totalRefunded: "14.00", note: "Damaged", createdAt: "2026-11-20T11:00:00Z" });
    expect(order).toMatchObject({ financialStatus: "PARTIALLY_REFUNDED", updatedAt: "2026-11-20T11:00:00Z" });
    expect(shop.refund(partial.id)).toBe(partial);
    expect(changes.at(-1)).toEqual({ kind: "refund/created", order, refund: partial, at: "2026-11-20T11:00:00Z" });

    const rest = shop.createRefund(order.id, {
      lineItems: [
        { lineItemId: order.lineItems[0]!.id, quantity: 1 },
        { lineItemId: order.lineItems[1]!.id, quantity: 1 },
      ],
      amount: "5.95",
    });
    expect(rest.totalRefunded).toBe("37.95");
    expect(order.financialStatus).toBe("REFUNDED");
    expect(order.refunds).toEqual([partial, rest]);
  });

  it("spreads an order discount over the refunded items", () => {
    const order = shop.createOrder({ customerId: null, lineItems: [beans, mug], totalDiscounts: "4.60", paid: true });
    const refund = shop.createRefund(order.id, { lineItems: [{ lineItemId: order.lineItems[1]!.id, quantity: 1 }] });
    expect(refund.refundLineItems).toEqual([{ lineItemId: order.lineItems[1]!.id, quantity: 1, subtotal: "16.20" }]);
  });

  it("refuses to refund more than was bought or paid", () => {
    const order = shop.createOrder({ customerId: null, lineItems: [beans], paid: true });
    const line = order.lineItems[0]!.id;
    expect(userError(() => shop.createRefund(order.id, { lineItems: [{ lineItemId: line, quantity: 3 }] }))).toMatchObject({
      field: ["refundLineItems", "0", "quantity"],
    });
    expect(userError(() => shop.createRefund(order.id, { lineItems: [], amount: "28.01" }))).toMatchObject({ field: ["amount"] });
    expect(userError(() => shop.createRefund(order.id, { lineItems: [{ lineItemId: 1, quantity: 1 }] }))).toMatchObject({ code: "NOT_FOUND" });
    expect(userError(() => shop.createRefund(order.id, { lineItems: [] }))).toMatchObject({ code: "BLANK" });

    const pending = shop.createOrder({ customerId: null, lineItems: [beans], paid: false });
    expect(userError(() => shop.createRefund(pending.id, { lineItems: [], amount: "1.00" }))).toMatchObject({ field: ["orderId"] });
  });
});

describe("cancellation", () => {
  it("refunds a paid order in full, then cancels it", () => {
    const order = shop.createOrder({ customerId: null, lineItems: [beans], totalShipping: "5.95", paid: true });
    changes.length = 0;
    clock.advance(HOUR);
    shop.cancelOrder(order.id, "CUSTOMER");

    expect(order).toMatchObject({
      financialStatus: "REFUNDED",
      cancelReason: "CUSTOMER",
      cancelledAt: "2026-11-20T11:00:00Z",
      closedAt: "2026-11-20T11:00:00Z",
    });
    expect(order.refunds[0]?.totalRefunded).toBe("33.95");
    expect(changes.map((change) => change.kind)).toEqual(["refund/created", "order/cancelled"]);
    expect(userError(() => shop.cancelOrder(order.id, "OTHER"))).toMatchObject({ field: ["orderId"] });
  });

  it("voids an unpaid order, and keeps the money when asked not to refund", () => {
    const unpaid = shop.createOrder({ customerId: null, lineItems: [beans], paid: false });
    shop.cancelOrder(unpaid.id, "DECLINED");
    expect(unpaid).toMatchObject({ financialStatus: "VOIDED", refunds: [] });
    expect(userError(() => shop.markOrderPaid(unpaid.id))).toMatchObject({ field: ["id"] });

    const kept = shop.createOrder({ customerId: null, lineItems: [beans], paid: true });
    shop.cancelOrder(kept.id, "FRAUD", { refund: false });
    expect(kept).toMatchObject({ financialStatus: "PAID", refunds: [] });
  });
});

describe("metafields", () => {
  const field = (ownerId: number, type: string, value: string, key = "value") => ({
    ownerType: "CUSTOMER" as const,
    ownerId,
    namespace: "app--1--lifecycle",
    key,
    type,
    value,
  });

  it("accepts values that fit their type and refuses the rest", () => {
    const id = anna().id;
    const fits: [string, string][] = [
      ["single_line_text_field", "gold"],
      ["number_integer", "-42"],
      ["number_decimal", "12.5"],
      ["boolean", "true"],
      ["json", '{"stage":"loyal"}'],
      ["date_time", "2026-11-20T10:00:00Z"],
      ["url", "https://example.com/a"],
      ["list.single_line_text_field", '["a","b"]'],
    ];
    for (const [type, value] of fits) expect(shop.setMetafields([field(id, type, value, type.replace(".", "_"))])).toHaveLength(1);

    const misfits: [string, string][] = [
      ["single_line_text_field", "two\nlines"],
      ["number_integer", "4.2"],
      ["number_decimal", "ten"],
      ["boolean", "yes"],
      ["json", "{oops"],
      ["date_time", "20 November"],
      ["url", "javascript:alert(1)"],
      ["list.single_line_text_field", '"a"'],
    ];
    for (const [type, value] of misfits) {
      expect(userError(() => shop.setMetafields([field(id, type, value)]))).toMatchObject({ field: ["metafields", "0", "value"], code: "INVALID_VALUE" });
    }
    expect(userError(() => shop.setMetafields([field(id, "no_such_type", "x")]))).toMatchObject({ code: "INVALID_TYPE" });
  });

  it("writes all or nothing, and updates in place", () => {
    const id = anna().id;
    expect(userError(() => shop.setMetafields([field(id, "number_integer", "1", "ok"), field(id, "number_integer", "x", "bad")]))).toMatchObject({
      field: ["metafields", "1", "value"],
    });
    expect(shop.metafieldsOf("CUSTOMER", id)).toEqual([]);

    const [first] = shop.setMetafields([field(id, "number_integer", "1")]);
    clock.advance(HOUR);
    const [second] = shop.setMetafields([field(id, "number_integer", "2")]);
    expect(second).toBe(first);
    expect(second).toMatchObject({ value: "2", createdAt: "2026-11-20T10:00:00Z", updatedAt: "2026-11-20T11:00:00Z" });
    expect(shop.metafieldsOf("CUSTOMER", id)).toHaveLength(1);
  });

  it("checks owners, names, the 25 per call limit and definitions", () => {
    const id = anna().id;
    expect(userError(() => shop.setMetafields([field(999, "boolean", "true")]))).toMatchObject({ field: ["metafields", "0", "ownerId"] });
    expect(userError(() => shop.setMetafields([{ ...field(id, "boolean", "true"), key: "k" }]))).toMatchObject({ code: "TOO_SHORT" });
    expect(userError(() => shop.setMetafields(Array.from({ length: 26 }, (_, i) => field(id, "boolean", "true", `k${i}`))))).toMatchObject({
      code: "LESS_THAN_OR_EQUAL_TO",
    });

    const shopId = shopLegacyId(INFO);
    expect(shop.setMetafields([{ ...field(shopId, "boolean", "true"), ownerType: "SHOP" }])).toHaveLength(1);

    shop.createMetafieldDefinition({
      ownerType: "CUSTOMER",
      namespace: "app--1--lifecycle",
      key: "stage",
      name: "Stage",
      description: null,
      type: "single_line_text_field",
      access: { admin: "MERCHANT_READ", storefront: null },
    });
    expect(userError(() => shop.setMetafields([field(id, "number_integer", "1", "stage")]))).toMatchObject({ code: "INVALID_TYPE" });
    expect(shop.metafieldDefinitions()).toHaveLength(1);
  });
});

describe("segments, discounts and bulk operations", () => {
  it("keeps segment names unique and stamps edits", () => {
    const segment = shop.createSegment("Lapsed", "last_order_date < -365d");
    expect(userError(() => shop.createSegment("lapsed", "x = 1"))).toMatchObject({ field: ["name"], code: "TAKEN" });
    clock.advance(HOUR);
    shop.updateSegment(segment.id, { query: "last_order_date < -180d" });
    expect(shop.segment(segment.id)).toMatchObject({ query: "last_order_date < -180d", lastEditDate: "2026-11-20T11:00:00Z" });
    shop.deleteSegment(segment.id);
    expect(shop.segments()).toEqual([]);
    expect(userError(() => shop.deleteSegment(segment.id))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps discount codes unique", () => {
    const input = {
      title: "Referral",
      code: "ANNA-7Q2",
      customerIds: [],
      segmentIds: [],
      value: { percentage: 0.1 },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      startsAt: "2026-11-20T10:00:00Z",
      endsAt: null,
    };
    expect(shop.createDiscountCode(input).id).toBeGreaterThan(0);
    expect(userError(() => shop.createDiscountCode({ ...input, code: "anna-7q2" }))).toMatchObject({ field: ["code"], code: "TAKEN" });
    expect(userError(() => shop.createDiscountCode({ ...input, code: "B", value: { percentage: 1.5 } }))).toMatchObject({ field: ["value", "percentage"] });
  });

  it("checks the discount codes an order uses as checkout does: once per customer, the usage limit, the customers it is for", () => {
    const discount = (code: string, patch: Partial<Parameters<SandboxShop["createDiscountCode"]>[0]> = {}) =>
      shop.createDiscountCode({
        title: code,
        code,
        customerIds: [],
        segmentIds: [],
        value: { percentage: 0.1 },
        usageLimit: null,
        appliesOncePerCustomer: false,
        startsAt: "2026-11-20T10:00:00Z",
        endsAt: null,
        ...patch,
      });
    const buyer = anna().id;
    const other = shop.createCustomer({ firstName: "Ben", email: "ben@example.com" }).id;
    const order = (customerId: number | null, code: string) => shop.createOrder({ customerId, lineItems: [mug], discountCodes: [code], paid: true });

    discount("FRIEND-ONCE", { appliesOncePerCustomer: true });
    order(buyer, "FRIEND-ONCE");
    expect(userError(() => order(buyer, "friend-once"))).toMatchObject({ field: ["discountCodes", "0"], message: expect.stringContaining("once per customer") });
    order(other, "FRIEND-ONCE");

    discount("TWICE", { usageLimit: 2 });
    order(buyer, "TWICE");
    const cancelled = order(other, "TWICE");
    expect(userError(() => order(null, "TWICE"))).toMatchObject({ message: expect.stringContaining("usage limit") });
    // A cancelled order gives its use back.
    shop.cancelOrder(cancelled.id, "CUSTOMER", { refund: true });
    order(null, "TWICE");

    discount("ANNA-ONLY", { customerIds: [buyer] });
    expect(userError(() => order(other, "ANNA-ONLY"))).toMatchObject({ message: expect.stringContaining("isn't available") });
    order(buyer, "ANNA-ONLY");
    // Codes the shop never held (a generated history) pass.
    order(buyer, "SOMEONE-ELSES");
  });

  it("limits bulk operations in progress and announces the finish", () => {
    const operations = Array.from({ length: 5 }, () => shop.createBulkOperation({ type: "QUERY", query: "{ customers { edges { node { id } } } }" }));
    expect(userError(() => shop.createBulkOperation({ type: "QUERY", query: "{ shop { id } }" }))).toMatchObject({ code: "LIMIT_REACHED" });
    expect(shop.createBulkOperation({ type: "MUTATION", query: "mutation { x }" }).status).toBe("CREATED");

    const operation = operations[0]!;
    shop.updateBulkOperation(operation.id, { status: "RUNNING" });
    expect(changes).toEqual([]);
    clock.advance(HOUR);
    shop.updateBulkOperation(operation.id, { status: "COMPLETED", objectCount: 3, url: "http://sandbox/bulk.jsonl" });
    expect(operation).toMatchObject({ status: "COMPLETED", completedAt: "2026-11-20T11:00:00Z" });
    expect(changes).toEqual([{ kind: "bulk_operation/finished", operation, at: "2026-11-20T11:00:00Z" }]);
    expect(shop.createBulkOperation({ type: "QUERY", query: "{ shop { id } }" }).status).toBe("CREATED");
  });
});

describe("a generated shop", () => {
  const data = generateShopData({ seed: 7, customers: 500, now: "2026-11-20T10:00:00Z" });
  const generated = new SandboxShop(structuredClone(data));

  it("indexes every customer, order and refund", () => {
    for (const customer of data.customers) {
      expect(generated.customer(customer.id)?.email).toBe(customer.email);
      expect(generated.ordersOfCustomer(customer.id).map((order) => order.id)).toEqual(
        data.orders.filter((order) => order.customerId === customer.id).map((order) => order.id),
      );
    }
    for (const refund of data.orders.flatMap((order) => order.refunds)) expect(generated.refund(refund.id)?.orderId).toBe(refund.orderId);
  });

  it("continues ids and order numbers after the generated ones", () => {
    const highest = Math.max(...data.orders.map((order) => order.number));
    const order = generated.createOrder({ customerId: data.customers[0]!.id, lineItems: [beans], paid: true });
    expect(order.number).toBe(highest + 1);
    expect(order.id).toBeGreaterThan(Math.max(...data.orders.flatMap((o) => [o.id, ...o.lineItems.map((item) => item.id), ...o.refunds.map((r) => r.id)])));
    expect(userError(() => generated.createCustomer({ email: data.customers.find((c) => c.email)!.email!.toUpperCase() }))).toMatchObject({ code: "TAKEN" });
  });

  it("snapshots a deep copy", () => {
    const copy = generated.snapshot();
    copy.customers[0]!.firstName = "Changed";
    expect(generated.customers()[0]!.firstName).not.toBe("Changed");
  });
});
