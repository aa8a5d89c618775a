import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../store/clock";
import { shopLegacyId } from "../store/ids";
import type { SandboxShopInfo } from "../store/model";
import { SandboxShop } from "../store/shop";
import type { ShopChange } from "../store/shop-api";
import {
  appScopesUpdatePayload,
  appUninstalledPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  orderPayload,
  payloadsForChange,
  shopRedactPayload,
} from "./payloads";

const INFO: SandboxShopInfo = {
  domain: "payloads.myshopify.com",
  name: "Payloads",
  email: "owner@payloads.example",
  currencyCode: "USD",
  ianaTimezone: "America/New_York",
  plan: "STANDARD",
  createdAt: "2026-01-01T00:00:00Z",
};

let clock: ManualClock;
let shop: SandboxShop;
let changes: ShopChange[];
/** Topics per change, worked out when the change happens (changes carry live objects). */
let topics: [string, string[]][];

beforeEach(() => {
  clock = new ManualClock("2026-11-20T15:00:00Z");
  shop = SandboxShop.empty(INFO, { clock: clock.now });
  changes = [];
  topics = [];
  shop.onChange((change) => {
    changes.push(change);
    topics.push([change.kind, payloadsForChange(shop, change).map((entry) => entry.topic)]);
  });
});

function buyer() {
  return shop.createCustomer({ firstName: "Zoë", lastName: "Müller", email: "zoe@example.com", acceptsMarketing: true, tags: ["VIP"] });
}

describe("payloadsForChange", () => {
  it("maps each change to the topics Shopify sends", () => {
    const customer = buyer();
    shop.addCustomerTags(customer.id, ["wholesale"]);
    const paid = shop.createOrder({ customerId: customer.id, lineItems: [{ title: "Beans", sku: "BEAN-HOUSE-250", quantity: 2, price: "14.00" }], paid: true });
    const pending = shop.createOrder({ customerId: customer.id, lineItems: [{ title: "Mug", sku: "MUG-STONE", quantity: 1, price: "18.00" }], paid: false });
    shop.markOrderPaid(pending.id);
    shop.createRefund(paid.id, { lineItems: [{ lineItemId: paid.lineItems[0]!.id, quantity: 1 }] });
    shop.cancelOrder(pending.id, "CUSTOMER");
    const prospect = shop.createCustomer({ email: "gone@example.com" });
    shop.deleteCustomer(prospect.id);
    const operation = shop.createBulkOperation({ type: "QUERY", query: "{ customers { edges { node { id } } } }" });
    shop.updateBulkOperation(operation.id, { status: "COMPLETED" });

    expect(topics).toEqual([
      ["customer/created", ["customers/create"]],
      ["customer/updated", ["customers/update"]],
      ["order/created", ["orders/create", "orders/paid"]],
      ["order/created", ["orders/create"]],
      ["order/paid", ["orders/paid", "orders/updated"]],
      ["refund/created", ["refunds/create", "orders/updated"]],
      ["refund/created", ["refunds/create", "orders/updated"]],
      ["order/cancelled", ["orders/cancelled", "orders/updated"]],
      ["customer/created", ["customers/create"]],
      ["customer/deleted", ["customers/delete"]],
      ["bulk_operation/finished", ["bulk_operations/finish"]],
    ]);
    expect(payloadsForChange(shop, { kind: "order/updated", order: paid, at: paid.updatedAt }).map((entry) => entry.topic)).toEqual([
      "orders/updated",
    ]);
  });
});

describe("order payloads", () => {
  it("carry the REST fields apps read, money as strings, times in the shop's offset", () => {
    const customer = buyer();
    clock.advance(60_000);
    const order = shop.createOrder({
      customerId: customer.id,
      lineItems: [
        { title: "House Blend Coffee Beans 250g", sku: "BEAN-HOUSE-250", quantity: 2, price: "14.00" },
        { title: "Stoneware Mug", sku: "MUG-STONE", quantity: 1, price: "18.00" },
      ],
      discountCodes: ["WELCOME10"],
      totalDiscounts: "4.60",
      totalShipping: "5.95",
      customAttributes: [{ key: "lifecycle_ref", value: "ZOE-7Q2" }],
      landingSite: "/?ref=zoe",
      test: true,
      paid: true,
    });
    const payload = orderPayload(shop, order);

    expect(payload).toMatchObject({
      id: order.id,
      admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
      name: "#1001",
      order_number: 1001,
      number: 1,
      email: "zoe@example.com",
      created_at: "2026-11-20T10:01:00-05:00",
      updated_at: "2026-11-20T10:01:00-05:00",
      cancelled_at: null,
      cancel_reason: null,
      financial_status: "paid",
      fulfillment_status: null,
      currency: "USD",
      total_price: "47.35",
      subtotal_price: "41.40",
      total_discounts: "4.60",
      total_line_items_price: "46.00",
      total_price_set: { shop_money: { amount: "47.35", currency_code: "USD" }, presentment_money: { amount: "47.35", currency_code: "USD" } },
      total_shipping_price_set: { shop_money: { amount: "5.95", currency_code: "USD" } },
      note_attributes: [{ name: "lifecycle_ref", value: "ZOE-7Q2" }],
      discount_codes: [{ code: "WELCOME10", amount: "4.60", type: "fixed_amount" }],
      landing_site: "/?ref=zoe",
      test: true,
      buyer_accepts_marketing: true,
      payment_gateway_names: ["bogus"],
      refunds: [],
      customer: {
        id: customer.id,
        admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
        email: "zoe@example.com",
        first_name: "Zoë",
        state: "disabled",
        created_at: "2026-11-20T10:00:00-05:00",
      },
    });
    expect(payload.line_items).toHaveLength(2);
    expect(payload.line_items[0]).toMatchObject({
      id: order.lineItems[0]!.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${order.lineItems[0]!.id}`,
      title: "House Blend Coffee Beans 250g",
      sku: "BEAN-HOUSE-250",
      quantity: 2,
      current_quantity: 2,
      price: "14.00",
      product_exists: true,
      grams: 250,
      discount_allocations: [{ amount: "2.80", discount_application_index: 0 }],
    });
    expect(payload.line_items[0]!.product_id).toBeGreaterThan(1e12);
    expect(payload.discount_applications).toEqual([expect.objectContaining({ type: "discount_code", code: "WELCOME10" })]);
    expect(payload.customer).not.toHaveProperty("tags");
    expect(payload.customer).not.toHaveProperty("email_marketing_consent");
    expect(Object.keys(payload).every((key) => key === key.toLowerCase())).toBe(true);
  });

  it("show refunds, cancellations and what is left", () => {
    const order = shop.createOrder({
      customerId: null,
      lineItems: [{ title: "Beans", sku: "BEAN-HOUSE-250", quantity: 2, price: "14.00" }],
      totalShipping: "5.95",
      paid: true,
    });
    const refund = shop.createRefund(order.id, { lineItems: [{ lineItemId: order.lineItems[0]!.id, quantity: 1 }], note: "Damaged" });
    const partial = orderPayload(shop, order);
    expect(partial).toMatchObject({
      financial_status: "partially_refunded",
      current_total_price: "19.95",
      current_subtotal_price: "14.00",
      customer: null,
      refunds: [
        {
          id: refund.id,
          order_id: order.id,
          note: "Damaged",
          admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
          refund_line_items: [{ line_item_id: order.lineItems[0]!.id, quantity: 1, subtotal: 14, subtotal_set: { shop_money: { amount: "14.00" } } }],
          transactions: [{ kind: "refund", status: "success", amount: "14.00", currency: "USD" }],
        },
      ],
    });
    expect(partial.line_items[0]!.current_quantity).toBe(1);

    clock.advance(3_600_000);
    shop.cancelOrder(order.id, "INVENTORY");
    expect(orderPayload(shop, order)).toMatchObject({
      financial_status: "refunded",
      cancel_reason: "inventory",
      cancelled_at: "2026-11-20T11:00:00-05:00",
      closed_at: "2026-11-20T11:00:00-05:00",
      current_total_price: "0.00",
    });
    expect(orderPayload(shop, order).refunds).toHaveLength(2);
  });
});

describe("customer and bulk operation payloads", () => {
  it("follow Shopify's examples", () => {
    const customer = buyer();
    const [created] = payloadsForChange(shop, changes[0]!);
    expect(created!.payload).toEqual({
      id: customer.id,
      created_at: "2026-11-20T10:00:00-05:00",
      updated_at: "2026-11-20T10:00:00-05:00",
      first_name: "Zoë",
      last_name: "Müller",
      state: "disabled",
      note: null,
      verified_email: true,
      multipass_identifier: null,
      tax_exempt: false,
      email: "zoe@example.com",
      phone: null,
      currency: "USD",
      tax_exemptions: [],
      admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
      addresses: [],
      default_address: null,
    });

    const prospect = shop.createCustomer({ email: "gone@example.com" });
    shop.deleteCustomer(prospect.id);
    expect(payloadsForChange(shop, changes.at(-1)!)[0]!.payload).toEqual({
      id: prospect.id,
      tax_exemptions: [],
      admin_graphql_api_id: `gid://shopify/Customer/${prospect.id}`,
    });

    const operation = shop.createBulkOperation({ type: "QUERY", query: "{ shop { id } }" });
    shop.updateBulkOperation(operation.id, { status: "FAILED", errorCode: "TIMEOUT" });
    expect(payloadsForChange(shop, changes.at(-1)!)[0]!.payload).toEqual({
      admin_graphql_api_id: `gid://shopify/BulkOperation/${operation.id}`,
      completed_at: "2026-11-20T10:00:00-05:00",
      created_at: "2026-11-20T10:00:00-05:00",
      error_code: "timeout",
      status: "failed",
      type: "query",
    });
  });
});

describe("app and compliance payloads", () => {
  it("identify the shop by its numeric id and domain", () => {
    const customer = buyer();
    const order = shop.createOrder({ customerId: customer.id, lineItems: [{ title: "Mug", sku: "MUG-STONE", quantity: 1, price: "18.00" }], paid: true });
    const shopId = shopLegacyId(INFO);

    expect(customersDataRequestPayload(shop, customer, { dataRequestId: 9 })).toEqual({
      shop_id: shopId,
      shop_domain: "payloads.myshopify.com",
      orders_requested: [order.id],
      customer: { id: customer.id, email: "zoe@example.com", phone: null },
      data_request: { id: 9 },
    });
    expect(customersRedactPayload(shop, { id: 5, email: "old@example.com", phone: null }, { orderIds: [7] })).toEqual({
      shop_id: shopId,
      shop_domain: "payloads.myshopify.com",
      customer: { id: 5, email: "old@example.com", phone: null },
      orders_to_redact: [7],
    });
    expect(shopRedactPayload(shop)).toEqual({ shop_id: shopId, shop_domain: "payloads.myshopify.com" });
    expect(appScopesUpdatePayload(shop, { previous: ["read_customers"], current: ["read_customers", "read_orders"] })).toMatchObject({
      shop_id: `gid://shopify/Shop/${shopId}`,
      previous: ["read_customers"],
      current: ["read_customers", "read_orders"],
      updated_at: "2026-11-20T15:00:00.000Z",
    });
    expect(appUninstalledPayload(shop)).toMatchObject({
      id: shopId,
      myshopify_domain: "payloads.myshopify.com",
      currency: "USD",
      iana_timezone: "America/New_York",
      timezone: "(GMT-05:00) America/New_York",
      plan_name: "professional",
      money_format: "${{amount}}",
    });
  });
});
