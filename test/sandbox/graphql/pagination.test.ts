import { describe, expect, it } from "vitest";
import { gid } from "./gid";
import { createTestShop, type TestShop } from "./test-support";

const PAGE = `query Page($first: Int, $last: Int, $after: String, $before: String, $sortKey: CustomerSortKeys, $reverse: Boolean, $query: String) {
  customers(first: $first, last: $last, after: $after, before: $before, sortKey: $sortKey, reverse: $reverse, query: $query) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface PageData {
  customers: {
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

async function page(t: TestShop, variables: Record<string, unknown>): Promise<PageData["customers"]> {
  const { body } = await t.gql(PAGE, variables);
  expect(body.errors).toBeUndefined();
  return (body.data as PageData).customers;
}

/** Walks the whole connection forward, `first` at a time. */
async function walk(t: TestShop, variables: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let after = (variables.after as string | undefined) ?? null;
  for (;;) {
    const customers = await page(t, { ...variables, after });
    ids.push(...customers.edges.map((edge) => edge.node.id));
    if (!customers.pageInfo.hasNextPage) return ids;
    after = customers.pageInfo.endCursor;
  }
}

function withCustomers(count: number): TestShop {
  const t = createTestShop();
  for (let i = 0; i < count; i += 1) {
    t.shop.createCustomer({ firstName: `Shopper${i}`, email: `shopper${i}@example.com` });
    t.clock.advance(60_000);
  }
  return t;
}

describe("customer pagination", () => {
  it("walks every customer exactly once, forwards and backwards", async () => {
    const t = withCustomers(20);
    const all = t.shop.customers().map((customer) => gid("Customer", customer.id));
    expect(await walk(t, { first: 7 })).toEqual(all);
    expect(await walk(t, { first: 6, reverse: true })).toEqual([...all].reverse());

    const last = await page(t, { last: 5 });
    expect(last.edges.map((edge) => edge.node.id)).toEqual(all.slice(-5));
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = await page(t, { last: 5, before: last.pageInfo.startCursor });
    expect(before.edges.map((edge) => edge.node.id)).toEqual(all.slice(-10, -5));
  });

  it("keeps cursors valid while customers change between pages", async () => {
    const t = withCustomers(12);
    const first = await page(t, { first: 5, sortKey: "UPDATED_AT" });
    const seen = first.edges.map((edge) => edge.node.id);
    // A customer already seen is updated (moves to the end) and a new one is created.
    t.clock.advance(60_000);
    t.shop.addCustomerTags(t.anna.id, ["moved"]);
    t.shop.createCustomer({ email: "late@example.com" });
    const rest = await walk(t, { first: 5, sortKey: "UPDATED_AT", after: first.pageInfo.endCursor });
    const unseen = t.shop.customers().map((customer) => gid("Customer", customer.id)).filter((id) => !seen.includes(id));
    expect(rest.filter((id) => id !== gid("Customer", t.anna.id)).sort()).toEqual(unseen.sort());
    expect(rest.at(-1)).toBe(gid("Customer", t.shop.customers().at(-1)!.id));
    expect(rest.at(-2)).toBe(gid("Customer", t.anna.id));
  });

  it("returns the same cursor for the same position on every request", async () => {
    const t = withCustomers(5);
    const once = await page(t, { first: 3 });
    const again = await page(t, { first: 3 });
    expect(again.edges.map((edge) => edge.cursor)).toEqual(once.edges.map((edge) => edge.cursor));
  });

  it("refuses pages without a size or over 250 items", async () => {
    const t = createTestShop();
    expect((await t.gql(PAGE, {})).body.errors?.[0]).toMatchObject({ message: "you must provide one of first or last", path: ["customers"] });
    expect((await t.gql(PAGE, { first: 251 })).body.errors?.[0]?.message).toContain("250");
  });
});

describe("search filters", () => {
  it("filters customers by updated_at with a quoted ISO time", async () => {
    const t = withCustomers(4);
    const cutoff = t.shop.now().toISOString();
    t.clock.advance(60_000);
    t.shop.addCustomerTags(t.cara.id, ["winback"]);
    const updated = await walk(t, { first: 10, query: `updated_at:>'${cutoff}'` });
    expect(updated).toEqual([gid("Customer", t.cara.id)]);
    const combined = await walk(t, { first: 10, query: `updated_at:<='${cutoff}' email:shopper*` });
    expect(combined).toHaveLength(4);
  });

  it("filters by tag, email, id ranges, OR and negation", async () => {
    const t = createTestShop();
    const ids = async (query: string) => (await walk(t, { first: 10, query })).map((id) => Number(id.split("/").pop()));
    expect(await ids("tag:VIP")).toEqual([t.anna.id]);
    expect(await ids("email:ben@example.com")).toEqual([t.ben.id]);
    expect(await ids(`id:>${t.anna.id}`)).toEqual([t.ben.id, t.cara.id]);
    expect(await ids("tag:vip OR email:cara@example.com")).toEqual([t.anna.id, t.cara.id]);
    expect(await ids("-tag:vip")).toEqual([t.ben.id, t.cara.id]);
    expect(await ids("orders_count:>=1 NOT tag:vip")).toEqual([t.ben.id]);
  });

  it("filters orders by customer, financial status, test flag and dates", async () => {
    const t = createTestShop();
    const names = async (query: string) => {
      const { body } = await t.gql(`query ($query: String) { orders(first: 50, query: $query, sortKey: CREATED_AT) { nodes { name } } }`, { query });
      return (body.data as { orders: { nodes: { name: string }[] } }).orders.nodes.map((order) => order.name);
    };
    expect(await names(`customer_id:${t.anna.id}`)).toEqual(["#1001", "#1002", "#1003"]);
    expect(await names("financial_status:paid test:false")).toEqual(["#1001"]);
    expect(await names("financial_status:pending")).toEqual(["#1003"]);
    expect(await names("test:true")).toEqual(["#1004"]);
    expect(await names(`created_at:>='${t.recentOrders[0]!.createdAt}' created_at:<'${t.recentOrders[1]!.createdAt}'`)).toEqual(["#1002"]);
    expect(await names("discount_code:welcome10")).toEqual(["#1002"]);
  });
});
