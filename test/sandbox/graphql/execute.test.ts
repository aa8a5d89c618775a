import { describe, expect, it } from "vitest";
import { gid } from "./gid";
import { handleAdminGraphqlRequest } from "./http";
import { createTestShop } from "./test-support";

describe("executeAdminGraphql", () => {
  it("answers the app's shop overview query with data and its cost", async () => {
    const t = createTestShop();
    const { status, body } = await t.gql(`query ShopOverview {
      shop { name myshopifyDomain currencyCode ianaTimezone }
      customersCount { count precision }
      ordersCount(limit: null) { count precision }
    }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      shop: { name: "GraphQL Test Roasters", myshopifyDomain: "graphql-test.myshopify.com", currencyCode: "USD", ianaTimezone: "America/New_York" },
      customersCount: { count: 3, precision: "EXACT" },
      ordersCount: { count: 4, precision: "EXACT" },
    });
    expect(body.extensions?.cost).toEqual({
      requestedQueryCost: 21,
      actualQueryCost: 21,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1979, restoreRate: 100 },
    });
  });

  it("rejects a field the Admin schema does not have, as Shopify words it", async () => {
    const { status, body } = await createTestShop().gql(`query Probe { shop { name } definitelyNotAField }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'definitelyNotAField' doesn't exist on type 'QueryRoot'",
        locations: [{ line: 1, column: 29 }],
        path: ["query Probe", "definitelyNotAField"],
        extensions: { code: "undefinedField", typeName: "QueryRoot", fieldName: "definitelyNotAField" },
      },
    ]);
  });

  it("reports syntax errors and missing required arguments", async () => {
    const t = createTestShop();
    const syntax = await t.gql("query { shop {\n  id\n");
    expect(syntax.body.errors).toEqual([
      { message: "syntax error, unexpected end of file at [3, 1]", locations: [{ line: 3, column: 1 }], extensions: { code: "PARSE_ERROR" } },
    ]);
    const missing = await t.gql("{ customer { id } }");
    expect(missing.body.errors?.[0]).toMatchObject({
      message: "Field 'customer' is missing required arguments: id",
      extensions: { code: "missingRequiredArguments" },
    });
    const variable = await t.gql("query ($id: ID!) { customer(id: $id) { id } }", {});
    expect(variable.body.errors?.[0]).toMatchObject({
      message: "Variable $id of type ID! was provided invalid value",
      extensions: { code: "INVALID_VARIABLE", problems: [{ path: [], explanation: "Expected value to not be null" }] },
    });
  });

  it("fails loudly on a schema field the sandbox does not implement", async () => {
    const t = createTestShop();
    const { body } = await t.gql(`query ($id: ID!) { customer(id: $id) { id statistics { rfmGroup } } }`, { id: gid("Customer", t.anna.id) });
    expect(body.errors?.[0]).toMatchObject({
      message: "Customer.statistics is not implemented by the Lifecycle sandbox store",
      path: ["customer", "statistics"],
      extensions: { code: "NOT_IMPLEMENTED_BY_SANDBOX" },
    });
  });

  it("resolves customers, orders, refunds and attribution from the shop's data", async () => {
    const t = createTestShop();
    const [refunded] = t.recentOrders;
    const { body } = await t.gql(
      `query ($id: ID!) {
        order(id: $id) {
          name email displayFinancialStatus discountCode customAttributes { key value }
          totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount } }
          currentTotalPriceSet { shopMoney { amount } }
          totalRefundedSet { shopMoney { amount } }
          refunds { note totalRefundedSet { shopMoney { amount } } refundLineItems(first: 5) { nodes { quantity lineItem { title } } } }
          lineItems(first: 5) { nodes { title quantity originalUnitPriceSet { shopMoney { amount } } } }
          customer { displayName numberOfOrders amountSpent { amount } tags defaultEmailAddress { emailAddress marketingState } }
        }
        node(id: "${gid("Order", t.oldOrder.id)}") {
          ... on Order { customerJourneySummary { firstVisit { landingPage referralCode utmParameters { source } } } }
        }
      }`,
      { id: gid("Order", refunded!.id) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      order: {
        name: "#1002",
        email: "anna@example.com",
        displayFinancialStatus: "PARTIALLY_REFUNDED",
        discountCode: "WELCOME10",
        customAttributes: [{ key: "lifecycle_ref", value: "BEN-4XZ" }],
        totalPriceSet: { shopMoney: { amount: "51.95", currencyCode: "USD" }, presentmentMoney: { amount: "51.95" } },
        currentTotalPriceSet: { shopMoney: { amount: "33.95" } },
        totalRefundedSet: { shopMoney: { amount: "18.0" } },
        refunds: [{ note: "Chipped mug", totalRefundedSet: { shopMoney: { amount: "18.0" } }, refundLineItems: { nodes: [{ quantity: 1, lineItem: { title: "Stoneware Mug" } }] } }],
        lineItems: {
          nodes: [
            { title: "House Blend", quantity: 2, originalUnitPriceSet: { shopMoney: { amount: "14.0" } } },
            { title: "Stoneware Mug", quantity: 1, originalUnitPriceSet: { shopMoney: { amount: "18.0" } } },
          ],
        },
        customer: {
          displayName: "Anna Nowak",
          numberOfOrders: "3",
          amountSpent: { amount: "59.95" },
          tags: ["vip"],
          defaultEmailAddress: { emailAddress: "anna@example.com", marketingState: "SUBSCRIBED" },
        },
      },
      node: {
        customerJourneySummary: {
          firstVisit: { landingPage: "https://graphql-test.myshopify.com/?ref=ANNA-7Q2&utm_source=newsletter", referralCode: "ANNA-7Q2", utmParameters: { source: "newsletter" } },
        },
      },
    });
  });

  it("denies customer fields without read_customers", async () => {
    const t = createTestShop({ scopes: ["read_orders"] });
    const { body } = await t.gql(`{ orders(first: 1) { nodes { name customer { id } } } customers(first: 1) { nodes { id } } }`);
    expect(body.data).toBeNull();
    expect(body.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
      ["Access denied for customer field. Required access: `read_customers` access scope.", "ACCESS_DENIED"],
      ["Access denied for customers field. Required access: `read_customers` access scope.", "ACCESS_DENIED"],
    ]);
  });

  it("hides orders older than 60 days without read_all_orders and refuses them by id", async () => {
    const t = createTestShop({ scopes: ["read_customers", "read_orders"] });
    const listed = await t.gql(`{ orders(first: 10) { nodes { name } } ordersCount { count } }`);
    expect(listed.body.data).toEqual({ orders: { nodes: [{ name: "#1002" }, { name: "#1003" }, { name: "#1004" }] }, ordersCount: { count: 3 } });

    const old = await t.gql(`query ($id: ID!) { order(id: $id) { name } }`, { id: gid("Order", t.oldOrder.id) });
    expect(old.body.data).toEqual({ order: null });
    expect(old.body.errors?.[0]).toMatchObject({
      message: "Access denied for order field. Required access: `read_all_orders` access scope.",
      path: ["order"],
      extensions: { code: "ACCESS_DENIED" },
    });

    const granted = await t.gql(`query ($id: ID!) { order(id: $id) { name } }`, { id: gid("Order", t.oldOrder.id) }, { scopes: ["read_orders", "read_all_orders"] });
    expect(granted.body.data).toEqual({ order: { name: "#1001" } });
  });

  it("reports unknown search fields under extensions.search and ignores them", async () => {
    const { body } = await createTestShop().gql(`{ matching: customers(first: 5, query: "favourite_colour:blue") { nodes { firstName } } }`);
    expect(body.data).toEqual({ matching: { nodes: [{ firstName: "Anna" }, { firstName: "Ben" }, { firstName: "Cara" }] } });
    expect(body.extensions?.search).toEqual([
      {
        path: ["matching"],
        query: "favourite_colour:blue",
        warnings: [{ field: "favourite_colour", message: "Invalid search field for this query.", code: "invalid_field" }],
      },
    ]);
  });

  it("accepts 64-bit ids and answers null for ids it does not hold, as Shopify does", async () => {
    const t = createTestShop();
    const query = `query ($order: ID!, $customer: ID!, $refund: ID!, $node: ID!) {
      order(id: $order) { id } customer(id: $customer) { id } refund: node(id: $refund) { id } node(id: $node) { id }
    }`;
    // The ids of Shopify's own sample payloads (what "Send test notification" sends), past 2^53.
    const unheld = await t.gql(query, {
      order: "gid://shopify/Order/820982911946154508",
      customer: "gid://shopify/Customer/706405506930370084",
      refund: "gid://shopify/Refund/890088186047892319",
      node: "gid://shopify/Customer/9223372036854775807",
    });
    expect(unheld.body.errors).toBeUndefined();
    expect(unheld.body.data).toEqual({ order: null, customer: null, refund: null, node: null });

    // A small id the shop does not hold is just as unknown; one it holds still resolves.
    const small = await t.gql(query, { order: gid("Order", 999_999_999), customer: gid("Customer", t.anna.id), refund: gid("Refund", 1), node: gid("Order", 1) });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data).toEqual({ order: null, customer: { id: gid("Customer", t.anna.id) }, refund: null, node: null });

    // Past 64 bits it is no id at all.
    const tooLong = await t.gql(`query ($id: ID!) { order(id: $id) { id } }`, { id: "gid://shopify/Order/9223372036854775808" });
    expect(tooLong.body.errors?.[0]).toMatchObject({ message: "Invalid global id 'gid://shopify/Order/9223372036854775808'" });
  });

  it("tells a customer it does not hold apart from a valid 64-bit id in mutations too (userErrors, not a crash)", async () => {
    const t = createTestShop({ scopes: ["read_customers", "write_customers"] });
    const { body } = await t.gql(`mutation ($id: ID!) { tagsAdd(id: $id, tags: ["x"]) { node { id } userErrors { field message } } }`, {
      id: "gid://shopify/Customer/706405506930370084",
    });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ tagsAdd: { node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] } });
  });

  it("rejects ids that are not global ids", async () => {
    const { body } = await createTestShop().gql(`{ customer(id: "42") { id } }`);
    expect(body.errors?.[0]).toMatchObject({ message: "Invalid global id '42'", extensions: { code: "argumentLiteralsIncompatible" } });
  });
});

describe("handleAdminGraphqlRequest", () => {
  it("answers 400 to a body Shopify cannot read and executes a valid one", async () => {
    const t = createTestShop();
    const post = (body: string, type = "application/json") =>
      handleAdminGraphqlRequest(new Request("https://sandbox.test/admin/api/2026-07/graphql.json", { method: "POST", headers: { "Content-Type": type }, body }), t.context);

    const malformed = await post("{not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ errors: { query: "Required parameter missing or invalid" } });

    const ok = await post(JSON.stringify({ query: "query Shop { shop { name } }", operationName: "Shop" }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("application/json");
    expect((await ok.json()) as unknown).toMatchObject({ data: { shop: { name: "GraphQL Test Roasters" } } });

    const graphql = await post("{ shop { currencyCode } }", "application/graphql");
    expect((await graphql.json()) as unknown).toMatchObject({ data: { shop: { currencyCode: "USD" } } });
  });
});
