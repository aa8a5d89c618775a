import { API_KEY, API_SECRET_KEY, APP_URL, getHmac } from "@shopify/shopify-api/test-helpers";
import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { parseExactJson } from "~/webhooks/exact-json";
import { generateShopData, Sandbox, shopLegacyId } from "@lifecycle/shopify-sandbox";
import { mswServer } from "../setup/msw";
import { appFromToml } from "../support/sandbox-app";

const SHOP = "privacy-shop.myshopify.com";
const SANDBOX_URL = "https://sandbox.customers-page.test";
const CUSTOMERS = `${SANDBOX_URL}/store/privacy-shop/customers`;

const sandbox = new Sandbox({ app: appFromToml({ apiKey: API_KEY, apiSecret: API_SECRET_KEY, appUrl: APP_URL }), publicUrl: SANDBOX_URL });
const shop = sandbox.addShop(generateShopData({ seed: 7, customers: 230, now: "2026-11-01T00:00:00Z", domain: SHOP, name: "Privacy Shop" }));
sandbox.install(SHOP);

interface Received {
  url: string;
  headers: Headers;
  body: string;
}
let received: Received[];
/** What the app answers to a delivery; 200 unless a test says otherwise. */
let answer: number;

beforeEach(() => {
  received = [];
  answer = 200;
  mswServer.use(
    http.post(`${APP_URL}/webhooks/*`, async ({ request }) => {
      received.push({ url: request.url, headers: request.headers, body: await request.text() });
      return new HttpResponse(null, { status: answer });
    }),
  );
});

const get = (url: string) => sandbox.handle(new Request(url.startsWith("/") ? `${SANDBOX_URL}${url}` : url));
const post = (url: string, form: Record<string, string> = {}) => sandbox.handle(new Request(url, { method: "POST", body: new URLSearchParams(form) }));
/** A customer with orders: what Shopify sends about them names their orders too. */
const buyer = () => shop.customers().find((customer) => shop.ordersOfCustomer(customer.id).length >= 2)!;

describe("the sandbox admin's customer pages", () => {
  it("lists customers 200 to a page, each name opening the customer's page with their profile, tags, orders and privacy actions", async () => {
    const first = await (await get(CUSTOMERS)).text();
    expect(first).toContain("Customers (1–200 of 230)");
    expect(first.match(/<tr data-customer-id=/g)).toHaveLength(200);
    expect(first).toContain(`href="/store/privacy-shop/customers?page=2" rel="next"`);
    const second = await (await get(`${CUSTOMERS}?page=2`)).text();
    expect(second).toContain("Customers (201–230 of 230)");
    expect(second.match(/<tr data-customer-id=/g)).toHaveLength(30);

    const customer = buyer();
    expect(first + second).toContain(`<a href="/store/privacy-shop/customers/${customer.id}">${customer.firstName} ${customer.lastName}</a>`);
    const response = await get(`${CUSTOMERS}/${customer.id}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`<h1>${customer.firstName} ${customer.lastName}</h1>`);
    expect(page).toContain(customer.email!);
    for (const order of shop.ordersOfCustomer(customer.id)) expect(page).toContain(`<tr data-order-id="${order.id}"><td data-order-name>${order.name}</td>`);
    expect(page).toContain(`<form method="post" action="/store/privacy-shop/customers/${customer.id}/data-request"`);
    expect(page).toContain(`<form method="post" action="/store/privacy-shop/customers/${customer.id}/erase"`);
    expect(page).toContain("The sandbox sends <code>customers/redact</code>\n  at once");
  });

  it("Request customer data sends customers/data_request at once, signed as every topic, naming the shop, the customer and their orders with exact ids", async () => {
    const customer = buyer();
    const response = await post(`${CUSTOMERS}/${customer.id}/data-request`);

    expect(response.status).toBe(303);
    const location = response.headers.get("location")!;
    expect(location).toBe(`/store/privacy-shop/customers/${customer.id}?sent=customers%2Fdata_request&outcome=delivered&status=200`);
    expect(received.map((request) => request.url)).toEqual([`${APP_URL}/webhooks/customers/data_request`]);
    const [delivery] = received;
    expect(delivery!.headers.get("x-shopify-hmac-sha256")).toBe(getHmac(delivery!.body, API_SECRET_KEY));
    expect(delivery!.headers.get("x-shopify-topic")).toBe("customers/data_request");
    expect(delivery!.headers.get("x-shopify-shop-domain")).toBe(SHOP);
    expect(delivery!.headers.get("x-shopify-api-version")).toBe("2026-07");
    expect(delivery!.headers.get("x-shopify-webhook-id")).toMatch(/^[0-9a-f-]{36}$/);
    // Ids are JSON integers, Shopify's way, and read back exactly as the app reads them.
    expect(delivery!.body).toContain(`"customer":{"id":${customer.id},`);
    expect(parseExactJson(delivery!.body)).toEqual({
      shop_id: shopLegacyId({ domain: SHOP }),
      shop_domain: SHOP,
      orders_requested: shop.ordersOfCustomer(customer.id).map((order) => order.id),
      customer: { id: customer.id, email: customer.email, phone: customer.phone },
      data_request: { id: expect.any(Number) },
    });

    // Each request is Shopify's own: another id, another delivery.
    await post(`${CUSTOMERS}/${customer.id}/data-request`);
    expect(received).toHaveLength(2);
    const requestId = (body: string) => (JSON.parse(body) as { data_request: { id: number } }).data_request.id;
    expect(requestId(received[1]!.body)).not.toBe(requestId(delivery!.body));
    expect(received[1]!.headers.get("x-shopify-webhook-id")).not.toBe(delivery!.headers.get("x-shopify-webhook-id"));

    // Back on the customer's page, the merchant reads what happened.
    expect(await (await get(location)).text()).toContain(`<p class="notice" role="status">Shopify sent customers/data_request to Lifecycle: delivered (HTTP 200).</p>`);
  });

  it("Erase personal data sends customers/redact at once with the customer's orders to redact, and the sandbox keeps the customer", async () => {
    const customer = shop.customers().filter((candidate) => shop.ordersOfCustomer(candidate.id).length > 0)[3]!;
    const response = await post(`${CUSTOMERS}/${customer.id}/erase`);

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/store/privacy-shop/customers/${customer.id}?sent=customers%2Fredact&outcome=delivered&status=200`);
    expect(received.map((request) => request.url)).toEqual([`${APP_URL}/webhooks/customers/redact`]);
    const [delivery] = received;
    expect(delivery!.headers.get("x-shopify-hmac-sha256")).toBe(getHmac(delivery!.body, API_SECRET_KEY));
    expect(delivery!.headers.get("x-shopify-topic")).toBe("customers/redact");
    expect(delivery!.headers.get("x-shopify-shop-domain")).toBe(SHOP);
    expect(delivery!.body).toContain(`"customer":{"id":${customer.id},`);
    expect(parseExactJson(delivery!.body)).toEqual({
      shop_id: shopLegacyId({ domain: SHOP }),
      shop_domain: SHOP,
      customer: { id: customer.id, email: customer.email, phone: customer.phone },
      orders_to_redact: shop.ordersOfCustomer(customer.id).map((order) => order.id),
    });
    expect(shop.customer(customer.id)).toBeDefined();
    expect(sandbox.webhooks(SHOP).pending()).toEqual([]);
  });

  it("says so when the app does not accept the delivery, after Shopify's retries", async () => {
    answer = 401;
    const customer = buyer();
    const response = await post(`${CUSTOMERS}/${customer.id}/erase`);

    expect(received).toHaveLength(9);
    const location = response.headers.get("location")!;
    expect(location).toContain("outcome=failed&status=401");
    expect(await (await get(location)).text()).toContain("Shopify could not deliver customers/redact to Lifecycle (HTTP 401), after every retry.");
  });

  it("adds a merchant's tags from the customer's page, which Shopify announces as customers/update", async () => {
    const customer = shop.customers()[5]!;
    const response = await post(`${CUSTOMERS}/${customer.id}/tags`, { tags: " vip-gold, Summer 2026 ," });

    expect(response.status).toBe(303);
    expect(shop.customer(customer.id)!.tags).toEqual(expect.arrayContaining(["vip-gold", "Summer 2026"]));
    const pending = sandbox.webhooks(SHOP).pending();
    expect(pending.map((delivery) => delivery.topic)).toEqual(["customers/update"]);
    expect(JSON.parse(pending[0]!.body)).toMatchObject({ id: customer.id });
    await sandbox.webhooks(SHOP).flush();
    const page = await (await get(response.headers.get("location")!)).text();
    expect(page).toContain(`<span class="tag">vip-gold</span>`);
    expect(page).toContain("Tags added.");

    expect((await post(`${CUSTOMERS}/${customer.id}/tags`, { tags: " , " })).headers.get("location")).toContain("notice=no-tags");
  });

  it("finds only customers the shop holds, by their exact id, and sends nothing otherwise", async () => {
    const customer = buyer();
    // Past 2^53 an id would round if read as a number; it names no customer of the sandbox.
    for (const id of ["9007199254740993", "9223372036854775807", `0${customer.id}`, "1"]) {
      expect((await get(`${CUSTOMERS}/${id}`)).status).toBe(404);
      expect((await post(`${CUSTOMERS}/${id}/data-request`)).status).toBe(404);
      expect((await post(`${CUSTOMERS}/${id}/erase`)).status).toBe(404);
    }
    // Each action is a POST, and the page a GET.
    expect((await get(`${CUSTOMERS}/${customer.id}/erase`)).status).toBe(405);
    expect((await post(`${CUSTOMERS}/${customer.id}`)).status).toBe(405);
    expect((await get(`${SANDBOX_URL}/store/no-such-shop/customers/${customer.id}`)).status).toBe(404);
    expect(received).toEqual([]);
  });

  it("escapes what merchants and customers typed", async () => {
    const customer = shop.createCustomer({ firstName: `<img src=x onerror="alert(1)">`, lastName: "O'Brien & Co", email: "x@example.com", tags: ["<script>tag</script>"] });
    const page = await (await get(`${CUSTOMERS}/${customer.id}`)).text();
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<script>");
    expect(page).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;");
    expect(page).toContain("O&#39;Brien &#38; Co");
    const list = await (await get(`${CUSTOMERS}?page=2`)).text();
    expect(list).not.toContain("<script>");
    expect(list).toContain("&#60;script&#62;tag&#60;/script&#62;");
    await sandbox.webhooks(SHOP).flush();
  });
});
