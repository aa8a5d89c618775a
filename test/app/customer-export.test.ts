import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { createTranslator, type MessageKey } from "~/i18n/i18n";
import { STAGES } from "~/lifecycle/model";
import type * as CustomerList from "~/lifecycle-models/customer-list.server";
import { decimalFromMinor } from "~/lifecycle-models/csv";
import { shopDay } from "~/lifecycle-models/recompute.server";
import { loader } from "~/routes/app.customers.export[.]csv";
import { action as webhookAction } from "~/routes/webhooks.$";
import { currencyFractionDigits } from "~/money";
import { installTestSandbox, routeWebhooksToApp } from "../support/sandbox";
import { BROWSER_USER_AGENT } from "../support/install";
import { importStoreOnce } from "../sync/support";

// Pages of 7 customers, so the export walks many pages of the 60-customer fixture.
const EXPORT_TEST_PAGE_SIZE = 7;
vi.mock("~/lifecycle-models/customer-list.server", async (importOriginal) => {
  const original = await importOriginal<typeof CustomerList>();
  return {
    ...original,
    customerListRows: (...[db, shop, query]: Parameters<typeof original.customerListRows>) =>
      original.customerListRows(db, shop, query, { pageSize: EXPORT_TEST_PAGE_SIZE }),
  };
});

const { sandbox, shop } = installTestSandbox({ customers: 60, seed: 37 });
routeWebhooksToApp(webhookAction);

const OTHER_SHOP = "other-shop.myshopify.com";
const FORMULA_NAME = '=HYPERLINK("https://evil.example","Click")';

const exportCsv = async (query: Record<string, string> = {}) =>
  (await loader({
    request: await setUpValidRequest(
      { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
      new Request(`${APP_URL}/app/customers/export.csv?${new URLSearchParams(query)}`, { headers: { "User-Agent": BROWSER_USER_AGENT } }),
    ),
    params: {},
    context: {},
  })) as Response;

/** RFC 4180 records, for reading the export back (fields may be quoted, with doubled quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted && char === '"' && text[index + 1] === '"') {
      field += '"';
      index += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += char;
    } else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      records.push([...record, field]);
      record = [];
      field = "";
      index += 1;
    } else {
      field += char;
    }
  }
  expect(field + record.join(), "the last record ends with CRLF").toBe("");
  return records;
}

const rowsOf = async (query: Record<string, string> = {}) => {
  const response = await exportCsv(query);
  expect(response.status).toBe(200);
  const [header, ...rows] = parseCsv(await response.text());
  return { header: header!, rows };
};

importStoreOnce(sandbox, shop, {
  afterImport: async () => {
    await prisma.shop.update({ where: { shop: TEST_SHOP }, data: { currencyCode: "EUR" } });
    const someone = shop.customers()[0]!;
    await prisma.customer.update({ where: { shop_id: { shop: TEST_SHOP, id: String(someone.id) } }, data: { firstName: FORMULA_NAME, lastName: null } });
    const now = new Date();
    await prisma.customer.create({
      data: { shop: OTHER_SHOP, id: "999000111", createdAt: now, updatedAt: now, state: "ENABLED", email: "stranger@other.example", observedAt: now },
    });
    await prisma.customerLifecycle.create({
      data: {
        shop: OTHER_SHOP,
        customerId: "999000111",
        stage: "loyal",
        reasonKey: "lifecycle.reason.loyal",
        stageSince: now,
        rfmGroup: "CHAMPIONS",
        valueBand: "large",
        purchases: 9,
        netRevenueMinor: 900_000,
        trailingYearRevenueMinor: 900_000,
        lastPurchaseAt: now,
        computedAt: now,
      },
    });
  },
});

describe("customer CSV export", () => {
  it("streams every customer of the shop once, across many pages, as a UTF-8 CSV download", async () => {
    const response = await exportCsv();
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="customers-all-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)], "byte order mark").toEqual([0xef, 0xbb, 0xbf]);

    const { header, rows } = await rowsOf();
    expect(header).toEqual([
      "Shopify customer ID",
      "Name",
      "Email",
      "Stage",
      "RFM group",
      "Value band",
      "Orders",
      "Revenue, last 12 months (EUR)",
      "Last purchase",
      "Shopify admin URL",
    ]);
    const lifecycles = await prisma.customerLifecycle.findMany({ where: { shop: TEST_SHOP } });
    expect(rows.length).toBeGreaterThan(EXPORT_TEST_PAGE_SIZE);
    expect(rows.length).toBe(lifecycles.length);
    expect(new Set(rows.map((row) => row[0])).size).toBe(lifecycles.length);
    expect(rows.every((row) => row.length === header.length)).toBe(true);
  });

  it("writes each customer's lifecycle, revenue as a plain decimal, last purchase day and admin link", async () => {
    const { rows } = await rowsOf();
    const digits = currencyFractionDigits("EUR");
    const { ianaTimezone } = await prisma.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    const t = createTranslator("en");
    const lifecycle = await prisma.customerLifecycle.findFirstOrThrow({ where: { shop: TEST_SHOP, lastPurchaseAt: { not: null } } });
    const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: TEST_SHOP, id: lifecycle.customerId } } });
    const row = rows.find((cells) => cells[0] === lifecycle.customerId)!;
    expect(row).toEqual([
      lifecycle.customerId,
      expect.any(String),
      customer.email ?? "",
      t(`lifecycle.stage.${lifecycle.stage}` as MessageKey),
      lifecycle.rfmGroup,
      t(`lifecycle.band.${lifecycle.valueBand}` as MessageKey),
      String(lifecycle.purchases),
      decimalFromMinor(lifecycle.trailingYearRevenueMinor, digits),
      shopDay(lifecycle.lastPurchaseAt!, ianaTimezone),
      `https://admin.shopify.com/store/${TEST_SHOP_NAME}/customers/${lifecycle.customerId}`,
    ]);
    const revenues = rows.map((cells) => Number(cells[7]));
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
  });

  it("exports exactly the customers of the filtered stage, named after it", async () => {
    const all = await prisma.customerLifecycle.findMany({ where: { shop: TEST_SHOP }, select: { customerId: true, stage: true } });
    // A stage some customers are in, but not all, so the filter has something to keep and something to drop.
    const stage = STAGES.find((candidate) => all.some((row) => row.stage === candidate) && all.some((row) => row.stage !== candidate))!;
    const expected = all.filter((row) => row.stage === stage);
    const response = await exportCsv({ stage });
    expect(response.headers.get("Content-Disposition")).toContain(`filename="customers-${stage}-`);
    const { rows } = await rowsOf({ stage });
    expect(rows.map((row) => row[0]).sort()).toEqual(expected.map((row) => row.customerId).sort());
    expect(rows.every((row) => row[3] === createTranslator("en")(`lifecycle.stage.${stage}` as MessageKey))).toBe(true);
  });

  it("writes the header and labels in the admin's language", async () => {
    const french = createTranslator("fr");
    const { header, rows } = await rowsOf({ locale: "fr-FR" });
    expect(header[0]).toBe("ID client Shopify");
    expect(header[3]).toBe("Étape");
    expect(header[7]).toBe("Chiffre d'affaires, 12 derniers mois (EUR)");
    const frenchStages = STAGES.map((stage) => french(`lifecycle.stage.${stage}` as MessageKey));
    expect(rows.every((row) => frenchStages.includes(row[3]!))).toBe(true);
  });

  it.each([[{ stage: "vip" }], [{ sort: "price" }], [{ band: "huge" }]])("refuses %j with 400 and says which filter", async (query) => {
    const response = await exportCsv(query);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(new RegExp(`^Invalid export filter: ${Object.keys(query)[0]}: Invalid enum value\\. Expected '`));
  });

  it("never includes another shop's customers", async () => {
    const csv = await (await exportCsv()).text();
    expect(csv).not.toContain("999000111");
    expect(csv).not.toContain("stranger@other.example");
  });

  it("neutralises a name that a spreadsheet would run as a formula", async () => {
    const csv = await (await exportCsv()).text();
    expect(csv).toContain(`,"'=HYPERLINK(""https://evil.example"",""Click"")",`);
    const { rows } = await rowsOf();
    expect(rows.find((row) => row[0] === String(shop.customers()[0]!.id))![1]).toBe(`'${FORMULA_NAME}`);
  });
});
