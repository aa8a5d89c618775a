import { describe, expect, it } from "vitest";
import { shopLegacyId } from "../store/ids";
import { gid } from "./gid";
import { APP_ID, createTestShop } from "./test-support";

type Data = Record<string, Record<string, unknown>>;

async function mutate(t: ReturnType<typeof createTestShop>, query: string, variables: Record<string, unknown>): Promise<Data> {
  const { body } = await t.gql(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data as Data;
}

describe("tagsAdd / tagsRemove", () => {
  const TAGS_ADD = `mutation ($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id ... on Customer { tags } } userErrors { field message } } }`;
  const TAGS_REMOVE = `mutation ($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;

  it("adds and removes customer tags", async () => {
    const t = createTestShop();
    const id = gid("Customer", t.ben.id);
    const added = await mutate(t, TAGS_ADD, { id, tags: ["lifecycle:at-risk", "Newsletter"] });
    expect(added.tagsAdd).toEqual({ node: { id, tags: ["lifecycle:at-risk", "Newsletter"] }, userErrors: [] });
    const removed = await mutate(t, TAGS_REMOVE, { id, tags: ["newsletter"] });
    expect(removed.tagsRemove).toEqual({ node: { id }, userErrors: [] });
    expect(t.shop.customer(t.ben.id)!.tags).toEqual(["lifecycle:at-risk"]);
  });

  it("answers userErrors for a customer that does not exist", async () => {
    const t = createTestShop();
    const data = await mutate(t, TAGS_ADD, { id: gid("Customer", 1), tags: ["vip"] });
    expect(data.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] });
  });

  it("needs write_customers", async () => {
    const t = createTestShop({ scopes: ["read_customers"] });
    const { body } = await t.gql(TAGS_ADD, { id: gid("Customer", t.ben.id), tags: ["vip"] });
    expect(body.errors?.[0]).toMatchObject({ message: "Access denied for tagsAdd field. Required access: `write_customers` access scope." });
  });
});

describe("metafieldsSet", () => {
  const SET = `mutation ($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id namespace key type value compareDigest owner { ... on Customer { id } } }
      userErrors { field message code elementIndex }
    }
  }`;

  it("sets app-owned metafields, resolving $app namespaces", async () => {
    const t = createTestShop();
    const ownerId = gid("Customer", t.anna.id);
    const data = await mutate(t, SET, {
      metafields: [
        { ownerId, namespace: "$app", key: "stage", type: "single_line_text_field", value: "loyal" },
        { ownerId, namespace: "$app:rfm", key: "score", type: "number_integer", value: "545" },
        { ownerId: gid("Shop", shopLegacyId(t.shop.info)), key: "settings", type: "json", value: '{"tiers":3}' },
      ],
    });
    const result = data.metafieldsSet as { metafields: { namespace: string; key: string }[]; userErrors: unknown[] };
    expect(result.userErrors).toEqual([]);
    expect(result.metafields.map((m) => `${m.namespace}.${m.key}`)).toEqual([`app--${APP_ID}.stage`, `app--${APP_ID}--rfm.score`, `app--${APP_ID}.settings`]);

    const read = await t.gql(`query ($id: ID!) { customer(id: $id) {
      stage: metafield(namespace: "$app", key: "stage") { value }
      score: metafield(namespace: "$app:rfm", key: "score") { jsonValue }
      metafields(first: 5) { nodes { key } }
    } shop { metafield(key: "settings") { jsonValue } } }`, { id: ownerId });
    expect(read.body.data).toEqual({
      customer: { stage: { value: "loyal" }, score: { jsonValue: 545 }, metafields: { nodes: [{ key: "stage" }, { key: "score" }] } },
      shop: { metafield: { jsonValue: { tiers: 3 } } },
    });
  });

  it("compares digests: a stale compareDigest changes nothing", async () => {
    const t = createTestShop();
    const ownerId = gid("Customer", t.anna.id);
    const input = { ownerId, namespace: "$app", key: "points", type: "number_integer" };
    const created = await mutate(t, SET, { metafields: [{ ...input, value: "10", compareDigest: null }] });
    const digest = (created.metafieldsSet as { metafields: { compareDigest: string }[] }).metafields[0]!.compareDigest;

    const updated = await mutate(t, SET, { metafields: [{ ...input, value: "25", compareDigest: digest }] });
    expect((updated.metafieldsSet as { userErrors: unknown[] }).userErrors).toEqual([]);

    // A second writer still holding the first digest loses, and so does the whole (atomic) call.
    const stale = await mutate(t, SET, {
      metafields: [
        { ownerId, namespace: "$app", key: "note", type: "single_line_text_field", value: "x" },
        { ...input, value: "99", compareDigest: digest },
      ],
    });
    expect(stale.metafieldsSet).toEqual({
      metafields: [],
      userErrors: [{ field: ["metafields", "1", "compareDigest"], message: "The metafield has been modified since it was loaded.", code: "STALE_OBJECT", elementIndex: 1 }],
    });
    const again = await mutate(t, SET, { metafields: [{ ...input, value: "1", compareDigest: null }] });
    expect((again.metafieldsSet as { userErrors: { code: string }[] }).userErrors[0]?.code).toBe("STALE_OBJECT");
    expect(t.shop.metafieldsOf("CUSTOMER", t.anna.id).map((m) => [m.key, m.value])).toEqual([["points", "25"]]);
  });

  it("deletes metafields with metafieldsDelete, answering null for those that did not exist", async () => {
    const t = createTestShop();
    const ownerId = gid("Customer", t.anna.id);
    await mutate(t, SET, { metafields: [{ ownerId, namespace: "$app", key: "stage", type: "single_line_text_field", value: "loyal" }] });
    const data = await mutate(
      t,
      `mutation ($metafields: [MetafieldIdentifierInput!]!) { metafieldsDelete(metafields: $metafields) { deletedMetafields { ownerId namespace key } userErrors { field message } } }`,
      { metafields: [{ ownerId, namespace: "$app", key: "stage" }, { ownerId, namespace: "$app", key: "never-set" }] },
    );
    expect(data.metafieldsDelete).toEqual({ deletedMetafields: [{ ownerId, namespace: `app--${APP_ID}`, key: "stage" }, null], userErrors: [] });
    expect(t.shop.metafieldsOf("CUSTOMER", t.anna.id)).toEqual([]);
  });

  it("refuses more than 25 metafields and invalid values", async () => {
    const t = createTestShop();
    const ownerId = gid("Customer", t.ben.id);
    const many = Array.from({ length: 26 }, (_, index) => ({ ownerId, key: `key${index}`, type: "boolean", value: "true" }));
    const tooMany = await mutate(t, SET, { metafields: many });
    expect((tooMany.metafieldsSet as { userErrors: { code: string }[] }).userErrors[0]?.code).toBe("LESS_THAN_OR_EQUAL_TO");
    const invalid = await mutate(t, SET, { metafields: [{ ownerId, key: "vip", type: "boolean", value: "yes" }] });
    expect(invalid.metafieldsSet).toEqual({
      metafields: [],
      userErrors: [{ field: ["metafields", "0", "value"], message: "Value must be true or false.", code: "INVALID_VALUE", elementIndex: null }],
    });
  });
});

describe("metafieldDefinitionCreate", () => {
  const CREATE = `mutation ($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition { id name namespace key ownerType type { name category } }
      userErrors { field message code }
    }
  }`;

  it("creates a definition once; the same key again is taken", async () => {
    const t = createTestShop();
    const definition = { name: "Lifecycle stage", namespace: "$app", key: "stage", type: "single_line_text_field", ownerType: "CUSTOMER" };
    const created = await mutate(t, CREATE, { definition });
    expect(created.metafieldDefinitionCreate).toMatchObject({
      createdDefinition: { name: "Lifecycle stage", namespace: `app--${APP_ID}`, key: "stage", ownerType: "CUSTOMER", type: { name: "single_line_text_field", category: "TEXT" } },
      userErrors: [],
    });
    const again = await mutate(t, CREATE, { definition });
    expect(again.metafieldDefinitionCreate).toMatchObject({ createdDefinition: null, userErrors: [{ field: ["definition", "key"], code: "TAKEN" }] });
  });

  it("keeps the access asked for; metafieldDefinitionUpdate changes it, and answers NOT_FOUND for an unknown definition", async () => {
    const t = createTestShop();
    const access = `{ metafieldDefinitions(first: 5, ownerType: CUSTOMER, namespace: "$app:lifecycle") { nodes { key access { admin storefront } } } }`;
    const UPDATE = `mutation ($definition: MetafieldDefinitionUpdateInput!) {
      metafieldDefinitionUpdate(definition: $definition) { updatedDefinition { key access { storefront } } userErrors { field message code } }
    }`;
    const definition = { name: "Stage", namespace: "$app:lifecycle", key: "stage", type: "single_line_text_field", ownerType: "CUSTOMER" };
    await mutate(t, CREATE, { definition: { ...definition, access: { admin: "MERCHANT_READ", storefront: "PUBLIC_READ" } } });
    await mutate(t, CREATE, { definition: { ...definition, key: "rfm_group" } });
    expect((await t.gql(access)).body.data).toEqual({
      metafieldDefinitions: {
        nodes: [
          { key: "stage", access: { admin: "MERCHANT_READ", storefront: "PUBLIC_READ" } },
          // Shopify's default: no storefront access.
          { key: "rfm_group", access: { admin: "MERCHANT_READ", storefront: "NONE" } },
        ],
      },
    });

    const updated = await mutate(t, UPDATE, { definition: { namespace: "$app:lifecycle", key: "stage", ownerType: "CUSTOMER", access: { storefront: "NONE" } } });
    expect(updated.metafieldDefinitionUpdate).toEqual({ updatedDefinition: { key: "stage", access: { storefront: "NONE" } }, userErrors: [] });
    expect((await t.gql(access)).body.data).toMatchObject({ metafieldDefinitions: { nodes: [{ key: "stage", access: { admin: "MERCHANT_READ", storefront: "NONE" } }, {}] } });

    const unknown = await mutate(t, UPDATE, { definition: { namespace: "$app:lifecycle", key: "nope", ownerType: "CUSTOMER", access: { storefront: "NONE" } } });
    expect(unknown.metafieldDefinitionUpdate).toMatchObject({ updatedDefinition: null, userErrors: [{ code: "NOT_FOUND" }] });
  });
});

describe("segments", () => {
  const CREATE = `mutation ($name: String!, $query: String!) { segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } } }`;

  it("creates, lists, updates and deletes a segment", async () => {
    const t = createTestShop();
    const created = await mutate(t, CREATE, { name: "Lifecycle: at risk", query: "customer_tags CONTAINS 'lifecycle:at-risk' AND number_of_orders >= 2" });
    const segment = (created.segmentCreate as { segment: { id: string } }).segment;
    expect(created.segmentCreate).toMatchObject({ segment: { name: "Lifecycle: at risk" }, userErrors: [] });

    const listed = await t.gql(`{ segments(first: 10) { nodes { name } } }`);
    expect(listed.body.data).toEqual({ segments: { nodes: [{ name: "Lifecycle: at risk" }] } });

    const updated = await mutate(t, `mutation ($id: ID!) { segmentUpdate(id: $id, query: "amount_spent > 100.50 OR customer_tags CONTAINS 'vip'") { segment { query } userErrors { message } } }`, { id: segment.id });
    expect(updated.segmentUpdate).toEqual({ segment: { query: "amount_spent > 100.50 OR customer_tags CONTAINS 'vip'" }, userErrors: [] });

    const byId = await t.gql(`query ($id: ID!) { segment(id: $id) { name } }`, { id: segment.id });
    expect(byId.body.data).toEqual({ segment: { name: "Lifecycle: at risk" } });

    const deleted = await mutate(t, `mutation ($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { message } } }`, { id: segment.id });
    expect(deleted.segmentDelete).toEqual({ deletedSegmentId: segment.id, userErrors: [] });
  });

  it("answers Shopify's userErrors for an invalid query and a taken name", async () => {
    const t = createTestShop();
    const invalid = await mutate(t, CREATE, { name: "Broken", query: "not a valid segment query ???" });
    expect(invalid.segmentCreate).toEqual({
      segment: null,
      userErrors: [
        { field: ["query"], message: "Query Line 1 Column 6: 'valid' is unexpected." },
        { field: ["query"], message: "Query Line 1 Column 4: 'a' filter cannot be found." },
      ],
    });
    await mutate(t, CREATE, { name: "VIPs", query: "customer_tags CONTAINS 'vip'" });
    const taken = await mutate(t, CREATE, { name: "VIPs", query: "customer_tags CONTAINS 'vip'" });
    expect(taken.segmentCreate).toEqual({ segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] });
  });
});

describe("discountCodeBasicCreate", () => {
  const CREATE = `mutation ($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic {
        title status usageLimit appliesOncePerCustomer summary
        codes(first: 1) { nodes { code } }
        customerGets { value { ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount } } } }
        context { ... on DiscountCustomers { customers { id } } ... on DiscountBuyerSelectionAll { all } }
      } } }
      userErrors { field message code }
    }
  }`;

  const input = (t: ReturnType<typeof createTestShop>, overrides: Record<string, unknown> = {}) => ({
    title: "Win-back 15%",
    code: "COMEBACK-ANNA",
    startsAt: t.shop.now().toISOString(),
    customerGets: { value: { percentage: 0.15 }, items: { all: true } },
    context: { customers: { add: [gid("Customer", t.anna.id)] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    ...overrides,
  });

  it("creates a code for specific customers", async () => {
    const t = createTestShop();
    const data = await mutate(t, CREATE, { input: input(t) });
    expect(data.discountCodeBasicCreate).toMatchObject({
      codeDiscountNode: {
        codeDiscount: {
          title: "Win-back 15%",
          status: "ACTIVE",
          usageLimit: 1,
          appliesOncePerCustomer: true,
          summary: "15% off entire order • For 1 customer • Limit of 1 use • One use per customer",
          codes: { nodes: [{ code: "COMEBACK-ANNA" }] },
          customerGets: { value: { percentage: 0.15 } },
          context: { customers: [{ id: gid("Customer", t.anna.id) }] },
        },
      },
      userErrors: [],
    });
    const amount = await mutate(t, CREATE, { input: input(t, { code: "TENOFF", customerGets: { value: { discountAmount: { amount: "10.00" } }, items: { all: true } }, context: { all: "ALL" } }) });
    expect(amount.discountCodeBasicCreate).toMatchObject({ codeDiscountNode: { codeDiscount: { customerGets: { value: { amount: { amount: "10.0" } } }, context: { all: "ALL" } } } });
  });

  it("refuses a duplicate code", async () => {
    const t = createTestShop();
    await mutate(t, CREATE, { input: input(t) });
    const again = await mutate(t, CREATE, { input: input(t, { code: "comeback-anna" }) });
    expect(again.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }],
    });
  });

  it("needs write_discounts", async () => {
    const t = createTestShop({ scopes: ["read_customers"] });
    const { body } = await t.gql(CREATE, { input: input(t) });
    expect(body.errors?.[0]?.extensions?.code).toBe("ACCESS_DENIED");
  });
});
