import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { CUSTOMERS_PER_PAGE } from "~/lifecycle-models/customer-list.server";
import { loader } from "~/routes/app.customers._index";
import { action as webhookAction } from "~/routes/webhooks.$";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { BROWSER_USER_AGENT } from "../support/install";
import { importStoreOnce } from "../sync/support";

const { sandbox, shop } = installTestSandbox({ customers: 130, seed: 33 });
routeWebhooksToApp(webhookAction);

const load = async (query: Record<string, string> = {}) =>
  loader({
    request: await setUpValidRequest(
      { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
      new Request(`${APP_URL}/app/customers?${new URLSearchParams(query)}`, { headers: { "User-Agent": BROWSER_USER_AGENT } }),
    ),
    params: {},
    context: {},
  });
const status = async (query: Record<string, string>) => {
  try {
    await load(query);
    return 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
};

importStoreOnce(sandbox, shop);

describe("customer list", () => {
  it("pages through every customer by revenue, each once, in order", async () => {
    const seen: { customerId: string; trailingYearRevenueMinor: number }[] = [];
    let after: string | null = null;
    do {
      const page = await load(after ? { after } : {});
      expect(page.rows.length).toBeLessThanOrEqual(CUSTOMERS_PER_PAGE);
      seen.push(...page.rows);
      after = page.next;
    } while (after);
    expect(new Set(seen.map((row) => row.customerId)).size).toBe(shop.customers().length);
    expect(seen.length).toBe(shop.customers().length);
    for (let index = 1; index < seen.length; index += 1)
      expect(seen[index - 1]!.trailingYearRevenueMinor).toBeGreaterThanOrEqual(seen[index]!.trailingYearRevenueMinor);
  });

  it("filters by stage, RFM group and value band, matching the database", async () => {
    const loyal = await prisma.customerLifecycle.findMany({ where: { shop: TEST_SHOP, stage: "loyal", valueBand: "large" }, select: { customerId: true } });
    const page = await load({ stage: "loyal", band: "large" });
    expect(page.rows.map((row) => row.customerId).sort()).toEqual(loyal.map((row) => row.customerId).sort());
    const champions = await load({ rfm: "CHAMPIONS" });
    expect(champions.rows.every((row) => row.rfmGroup === "CHAMPIONS")).toBe(true);
  });

  it("filters by recency and frequency score, as the dashboard's R×F grid links", async () => {
    const cells = await prisma.customerLifecycle.groupBy({
      by: ["recency", "frequency"],
      where: { shop: TEST_SHOP, recency: { not: null } },
      _count: { _all: true },
    });
    const busiest = cells.sort((a, b) => b._count._all - a._count._all)[0]!;
    const expected = await prisma.customerLifecycle.findMany({
      where: { shop: TEST_SHOP, recency: busiest.recency, frequency: busiest.frequency },
      select: { customerId: true },
    });
    const page = await load({ r: String(busiest.recency), f: String(busiest.frequency) });
    expect(expected.length).toBeLessThanOrEqual(50); // one page holds the whole cell
    expect(page.rows.map((row) => row.customerId).sort()).toEqual(expected.map((row) => row.customerId).sort());
  });

  it("searches names and emails, and sorts by name", async () => {
    const someone = shop.customers().find((customer) => customer.email && customer.lastName)!;
    expect((await load({ q: someone.email!.toUpperCase() })).rows.map((row) => row.customerId)).toEqual([String(someone.id)]);
    expect((await load({ q: someone.lastName! })).rows.map((row) => row.customerId)).toContain(String(someone.id));
    expect((await load({ q: "%" })).rows).toEqual([]);
    const byName = (await load({ sort: "name" })).rows.map((row) => row.name.toLowerCase());
    expect(byName).toEqual([...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it.each([[{ stage: "vip" }], [{ sort: "price" }], [{ rfm: "champions" }], [{ after: "not-a-cursor" }], [{ r: "6" }], [{ f: "x" }]])(
    "refuses %j with 400",
    async (query) => {
      expect(await status(query)).toBe(400);
    },
  );
});
