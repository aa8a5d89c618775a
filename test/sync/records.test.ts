import { describe, expect, it } from "vitest";
import { parseExactJson } from "~/webhooks/exact-json";
import { InvalidRecordError } from "~/admin-api/errors";
import { CustomersDataRequestPayload, CustomersRedactPayload, customerFromGraphql, orderFromGraphql, RefundPayload } from "~/sync/records";

const customerNode = {
  id: "gid://shopify/Customer/7000000000008",
  createdAt: "2023-11-24T18:34:11Z",
  updatedAt: "2024-02-01T09:00:00+01:00",
  state: "ENABLED",
  tags: ["VIP", "wholesale"],
  firstName: "Zoë",
  lastName: null,
  defaultEmailAddress: { emailAddress: "zoe@example.com", marketingState: "SUBSCRIBED" },
};

const orderNode = {
  id: "gid://shopify/Order/7000000000766",
  name: "#1001",
  createdAt: "2023-11-24T19:04:07Z",
  processedAt: "2023-11-24T19:04:07Z",
  updatedAt: "2023-11-27T02:39:50Z",
  cancelledAt: null,
  displayFinancialStatus: "PARTIALLY_REFUNDED",
  test: false,
  subtotalPriceSet: { shopMoney: { amount: "12.8", currencyCode: "USD" } },
  totalPriceSet: { shopMoney: { amount: "18.75", currencyCode: "USD" } },
  discountCodes: ["VIP20"],
  customAttributes: [
    { key: "ref", value: "ANNA-7Q" },
    { key: "gift", value: null },
  ],
  customerJourneySummary: { lastVisit: { landingPage: "https://shop.example/?ref=ANNA-7Q" } },
  customer: { id: "gid://shopify/Customer/7000000000150" },
  refunds: [
    { id: "gid://shopify/Refund/7000000000900", createdAt: "2023-11-26T10:00:00Z", totalRefundedSet: { shopMoney: { amount: "5.00", currencyCode: "USD" } } },
  ],
};

describe("Admin GraphQL nodes into records", () => {
  it("reads a customer: legacy id, dates, Shopify's tag list as Shopify shows it, email and consent", () => {
    expect(customerFromGraphql(customerNode)).toEqual({
      id: "7000000000008",
      createdAt: new Date("2023-11-24T18:34:11Z"),
      updatedAt: new Date("2024-02-01T08:00:00Z"),
      state: "ENABLED",
      tags: "VIP, wholesale",
      emailMarketingState: "SUBSCRIBED",
      firstName: "Zoë",
      lastName: null,
      email: "zoe@example.com",
    });
    expect(customerFromGraphql({ ...customerNode, defaultEmailAddress: null })).toMatchObject({ email: null, emailMarketingState: null });
  });

  it("reads an order with its refunds: amounts in exact minor units, attributes and landing page for referral attribution", () => {
    expect(orderFromGraphql(orderNode)).toEqual({
      order: {
        id: "7000000000766",
        customerId: "7000000000150",
        name: "#1001",
        createdAt: new Date("2023-11-24T19:04:07Z"),
        processedAt: new Date("2023-11-24T19:04:07Z"),
        updatedAt: new Date("2023-11-27T02:39:50Z"),
        cancelledAt: null,
        financialStatus: "PARTIALLY_REFUNDED",
        test: false,
        currencyCode: "USD",
        subtotalMinor: 1280,
        totalMinor: 1875,
        discountCodes: ["VIP20"],
        noteAttributes: [
          { name: "ref", value: "ANNA-7Q" },
          { name: "gift", value: "" },
        ],
        landingSite: "https://shop.example/?ref=ANNA-7Q",
      },
      refunds: [{ id: "7000000000900", orderId: "7000000000766", createdAt: new Date("2023-11-26T10:00:00Z"), amountMinor: 500 }],
    });
  });

  it("reads what Shopify leaves empty: no customer, no subtotal, no visit, no status, a currency without minor units", () => {
    const yen = { shopMoney: { amount: "1500", currencyCode: "JPY" } };
    const { order } = orderFromGraphql({
      ...orderNode,
      customer: null,
      subtotalPriceSet: null,
      totalPriceSet: yen,
      customerJourneySummary: null,
      displayFinancialStatus: null,
      refunds: [],
    });
    expect(order).toMatchObject({ customerId: null, subtotalMinor: 0, totalMinor: 1500, currencyCode: "JPY", landingSite: null, financialStatus: "PENDING" });
    expect(orderFromGraphql({ ...orderNode, customerJourneySummary: { lastVisit: null } }).order.landingSite).toBeNull();
  });

  it.each([
    ["a missing field", { ...orderNode, name: undefined }, /Order\.name: expected a string, got nothing/],
    ["a wrong type", { ...orderNode, test: "false" }, /Order\.test: expected a boolean, got "false"/],
    [
      "a nested wrong type",
      { ...orderNode, totalPriceSet: { shopMoney: { amount: 18.75, currencyCode: "USD" } } },
      /Order\.totalPriceSet\.shopMoney\.amount: expected a string/,
    ],
    ["a bad date", { ...orderNode, updatedAt: "yesterday" }, /Order\.updatedAt: expected a date, got "yesterday"/],
    ["another type's id", { ...orderNode, id: "gid://shopify/Customer/1" }, /Not a Order GID/],
    [
      "a bad refund",
      { ...orderNode, refunds: [{ id: "gid://shopify/Refund/1", createdAt: "2023-11-26T10:00:00Z" }] },
      /Refund\.totalRefundedSet: expected an object/,
    ],
    ["a bad attribute", { ...orderNode, customAttributes: [{ key: 1, value: "x" }] }, /Order\.customAttributes\[\]\.key: expected a string, got 1/],
    ["a bad tag", { ...customerNode, tags: ["VIP", 2] }, /Customer\.tags\[\]: expected a string, got 2/],
    ["not an object", ["gid://shopify/Order/1"], /Order: expected an object/],
  ])("refuses a node with %s, naming the field", (_, node, message) => {
    const read = () => ("tags" in (node as object) ? customerFromGraphql(node) : orderFromGraphql(node));
    expect(read).toThrow(InvalidRecordError);
    expect(read).toThrow(message);
  });
});

describe("REST payload ids", () => {
  it("are read as text, exactly, from a payload read with parseExactJson", () => {
    const refund = parseExactJson('{"admin_graphql_api_id":"gid://shopify/Refund/890088186047892319","order_id":820982911946154508}');
    expect(RefundPayload.parse(refund)).toEqual({ admin_graphql_api_id: "890088186047892319", order_id: "820982911946154508" });
    const redact = parseExactJson('{"shop_domain":"a.myshopify.com","customer":{"id":706405506930370084},"orders_to_redact":[820982911946154508,299938]}');
    expect(CustomersRedactPayload.parse(redact)).toEqual({
      shop_domain: "a.myshopify.com",
      customer: { id: "706405506930370084" },
      orders_to_redact: ["820982911946154508", "299938"],
    });
    const request = parseExactJson('{"shop_domain":"a.myshopify.com","customer":{"id":191167},"orders_requested":[],"data_request":{"id":9223372036854775807}}');
    expect(CustomersDataRequestPayload.parse(request)).toMatchObject({ customer: { id: "191167" }, data_request: { id: "9223372036854775807" } });
  });

  it("refuse an id that was already rounded to a number (it names another record), and anything that is not an id", () => {
    const rounded = RefundPayload.safeParse(JSON.parse('{"admin_graphql_api_id":"gid://shopify/Refund/1","order_id":820982911946154508}'));
    expect(rounded.success).toBe(false);
    expect(rounded.error?.issues[0]?.message).toMatch(/2\^53/);
    for (const order_id of [-1, 1.5, "12a", "", null]) {
      expect(RefundPayload.safeParse({ admin_graphql_api_id: "gid://shopify/Refund/1", order_id }).success, String(order_id)).toBe(false);
    }
  });
});
