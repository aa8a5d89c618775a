import type { SandboxCustomer } from "../store/model";
import { stableHash } from "../store/ids";
import type { SandboxShopApi } from "../store/shop-api";
import { UnsubscribedTopicError, type DeliveryResult, type WebhookDispatcher } from "../webhooks/dispatch";
import { customersDataRequestPayload, customersRedactPayload } from "../webhooks/payloads";

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** Customers per page of the list, as Shopify admin pages its customer list. */
const PAGE_SIZE = 200;

/** The compliance topics a merchant triggers from a customer's page, by the action's path. */
const COMPLIANCE_ACTIONS = { "data-request": "customers/data_request", erase: "customers/redact" } as const;
type ComplianceTopic = (typeof COMPLIANCE_ACTIONS)[keyof typeof COMPLIANCE_ACTIONS];

export interface CustomerAdminContext {
  shop: SandboxShopApi;
  /** The shop's webhook dispatch: compliance deliveries go through it, signed like every other topic. */
  dispatcher: WebhookDispatcher;
  /** The installed app's name, for the notices ("Shopify sent customers/redact to Lifecycle"). */
  appName: string;
  /** The shop's admin path, "/store/<handle>": the customer list is `<base>/customers`. */
  base: string;
}

/**
 * The sandbox admin's customer pages, as a merchant uses Shopify admin: the customer list and
 * segments (what the app wrote back is visible there), and a customer's page where the merchant adds
 * tags, requests the customer's data (customers/data_request) or erases it (customers/redact).
 * Answers null for paths that are not its own.
 */
export async function handleCustomerAdmin(request: Request, url: URL, context: CustomerAdminContext): Promise<Response | null> {
  const prefix = `${context.base}/customers`;
  if (url.pathname === prefix) {
    if (request.method !== "GET") return methodNotAllowed("GET");
    const page = Math.max(1, Math.floor(Number(url.searchParams.get("page"))) || 1);
    return html(customersPageHtml(context.shop, { page, base: context.base }));
  }
  const match = /^\/(\d+)(?:\/(tags|data-request|erase))?$/.exec(url.pathname.slice(prefix.length));
  if (!url.pathname.startsWith(`${prefix}/`) || !match) return null;
  const customer = heldCustomer(context.shop, match[1]!);
  if (!customer) return new Response("No such customer", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const action = match[2] as "tags" | keyof typeof COMPLIANCE_ACTIONS | undefined;
  const page = `${prefix}/${customer.id}`;

  if (!action) {
    if (request.method !== "GET") return methodNotAllowed("GET");
    return html(customerPageHtml(context.shop, customer, { base: context.base, notice: noticeOf(url.searchParams, context.appName) }));
  }
  if (request.method !== "POST") return methodNotAllowed("POST");

  if (action === "tags") {
    const form = await request.formData().catch(() => new FormData());
    const tags = String(form.get("tags") ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean);
    if (tags.length === 0) return seeOther(`${page}?notice=no-tags`);
    // A change like any other: the shop's webhooks (customers/update) follow it.
    context.shop.addCustomerTags(customer.id, tags);
    return seeOther(`${page}?notice=tags-added`);
  }

  const topic = COMPLIANCE_ACTIONS[action];
  const contact = { id: customer.id, email: customer.email, phone: customer.phone };
  const payload =
    topic === "customers/data_request"
      ? customersDataRequestPayload(context.shop, contact, { dataRequestId: nextDataRequestId(context.shop, customer.id) })
      : customersRedactPayload(context.shop, contact);
  let results: DeliveryResult[];
  try {
    results = await context.dispatcher.send(topic, payload);
  } catch (error) {
    if (!(error instanceof UnsubscribedTopicError)) throw error;
    return new Response(`${context.appName} has no subscription for ${topic}`, { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const failed = results.find((result) => result.outcome !== "delivered");
  const status = (failed ?? results[0])?.status;
  const query = new URLSearchParams({ sent: topic, outcome: failed ? "failed" : "delivered", ...(status ? { status: String(status) } : {}) });
  return seeOther(`${page}?${query}`);
}

/**
 * The customer the path names, read exactly: an id past 2^53 would round to another number (and
 * might name another customer), so only digits that are exactly a number the shop holds are found.
 */
function heldCustomer(shop: SandboxShopApi, digits: string): SandboxCustomer | undefined {
  const id = Number(digits);
  return Number.isSafeInteger(id) && String(id) === digits ? shop.customer(id) : undefined;
}

// Shopify numbers each data request; the sandbox derives one from the shop, the customer, the time and a sequence.
let dataRequests = 0;
function nextDataRequestId(shop: SandboxShopApi, customerId: number): number {
  dataRequests += 1;
  return stableHash(`data_request:${shop.info.domain}:${customerId}:${shop.now().toISOString()}:${dataRequests}`) % 1_000_000_000;
}

/** Members of a segment whose query is a tag test; other queries are not evaluated by the sandbox (null). */
function tagSegmentMembers(shop: SandboxShopApi, query: string): number | null {
  const match = /^customer_tags CONTAINS '([^']*)'$/.exec(query.trim());
  if (!match) return null;
  const tag = match[1]!.toLowerCase();
  return shop.customers().filter((customer) => customer.tags.some((held) => held.toLowerCase() === tag)).length;
}

const nameOf = (customer: SandboxCustomer) =>
  [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || String(customer.id);

const tagsHtml = (tags: readonly string[]) => tags.map((tag) => `<span class="tag">${escapeHtml(tag)}</span>`).join(" ");

function metafieldsHtml(shop: SandboxShopApi, customer: SandboxCustomer): string {
  return shop
    .metafieldsOf("CUSTOMER", customer.id)
    .map((field) => `${escapeHtml(field.key)}=${escapeHtml(field.value)}`)
    .join(" · ");
}

/**
 * The sandbox admin's customer list and segments, as a merchant would look them up in Shopify
 * admin: what the app wrote back (tags, app metafields, segments) is visible here, and each
 * customer's name opens their page. Customers come 200 to a page (`page`, from 1).
 */
export function customersPageHtml(shop: SandboxShopApi, options: { page?: number; base?: string } = {}): string {
  const base = options.base ?? "";
  const all = shop.customers();
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page ?? 1), pages);
  const first = (page - 1) * PAGE_SIZE;
  const shown = all.slice(first, first + PAGE_SIZE);
  const segments = shop
    .segments()
    .map((segment) => {
      const members = tagSegmentMembers(shop, segment.query);
      return `<tr><td>${escapeHtml(segment.name)}</td><td><code>${escapeHtml(segment.query)}</code></td><td data-segment-members>${members ?? "—"}</td></tr>`;
    })
    .join("");
  const customers = shown
    .map(
      (customer) =>
        `<tr data-customer-id="${customer.id}"><td><a href="${base}/customers/${customer.id}">${escapeHtml(nameOf(customer))}</a></td><td data-tags>${tagsHtml(customer.tags)}</td><td>${metafieldsHtml(shop, customer)}</td></tr>`,
    )
    .join("");
  const link = (to: number, label: string, rel: string) => `<a href="${base}/customers?page=${to}" rel="${rel}">${label}</a>`;
  const pager = [page > 1 ? link(page - 1, "Previous page", "prev") : "", page < pages ? link(page + 1, "Next page", "next") : ""].filter(Boolean).join(" · ");
  const range = shown.length ? `${first + 1}–${first + shown.length} of ${all.length}` : `none of ${all.length}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Customers · ${escapeHtml(shop.info.name)} · Sandbox admin</title>
${STYLE}</head>
<body>
<h1>${escapeHtml(shop.info.name)}: customer segments</h1>
<table><thead><tr><th>Segment</th><th>Query</th><th>Customers</th></tr></thead><tbody>${segments}</tbody></table>
<h1>Customers (${range})</h1>
<table><thead><tr><th>Customer</th><th>Tags</th><th>App metafields</th></tr></thead><tbody>${customers}</tbody></table>
${pager ? `<nav aria-label="Pages">${pager}</nav>` : ""}
</body></html>`;
}

/**
 * A customer's page in the sandbox admin: their profile, tags, app metafields and orders, and what
 * a merchant does from a customer's page in Shopify admin — add tags, "Request customer data" and
 * "Erase personal data" — each a form posting to its own action.
 */
export function customerPageHtml(shop: SandboxShopApi, customer: SandboxCustomer, options: { base?: string; notice?: string | null } = {}): string {
  const base = options.base ?? "";
  const page = `${base}/customers/${customer.id}`;
  const orders = shop
    .ordersOfCustomer(customer.id)
    .map(
      (order) =>
        `<tr data-order-id="${order.id}"><td data-order-name>${escapeHtml(order.name)}</td><td>${escapeHtml(order.processedAt.slice(0, 10))}</td><td>${escapeHtml(order.financialStatus.toLowerCase().replace(/_/g, " "))}${order.cancelledAt ? ", cancelled" : ""}${order.test ? ", test" : ""}</td><td>${escapeHtml(order.totalPrice)} ${escapeHtml(shop.info.currencyCode)}</td></tr>`,
    )
    .join("");
  const fact = (label: string, value: string | null) => `<tr><th>${label}</th><td>${value === null ? "—" : escapeHtml(value)}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(nameOf(customer))} · Customers · ${escapeHtml(shop.info.name)} · Sandbox admin</title>
${STYLE}</head>
<body>
<p><a href="${base}/customers">Customers</a></p>
<h1>${escapeHtml(nameOf(customer))}</h1>
${options.notice ? `<p class="notice" role="status">${escapeHtml(options.notice)}</p>` : ""}
<table class="facts"><tbody>
${fact("Customer id", String(customer.id))}
${fact("Email", customer.email)}
${fact("Phone", customer.phone)}
${fact("Customer since", customer.createdAt.slice(0, 10))}
<tr><th>Tags</th><td data-tags>${tagsHtml(customer.tags) || "—"}</td></tr>
<tr><th>App metafields</th><td>${metafieldsHtml(shop, customer) || "—"}</td></tr>
</tbody></table>
<form method="post" action="${page}/tags" class="action">
  <label>Add tags (separate with commas) <input name="tags" autocomplete="off"></label>
  <button type="submit">Add tags</button>
</form>
<h2>Orders (${shop.ordersOfCustomer(customer.id).length})</h2>
<table><thead><tr><th>Order</th><th>Date</th><th>Payment</th><th>Total</th></tr></thead><tbody>${orders}</tbody></table>
<h2>Customer privacy</h2>
<form method="post" action="${page}/data-request" class="action">
  <p>When the customer asks for the data your store holds about them, Shopify sends the request
  (<code>customers/data_request</code>) to the apps that hold their data, at once. Each app prepares
  what it holds for you to send to the customer.</p>
  <button type="submit">Request customer data</button>
</form>
<form method="post" action="${page}/erase" class="action">
  <p>Shopify erases the customer's personal data and tells the apps to erase theirs
  (<code>customers/redact</code>) 10 days after the request, or, when the customer ordered in the
  last six months, once six months have passed since. The sandbox sends <code>customers/redact</code>
  at once, and keeps the customer in this store so you can compare.</p>
  <button type="submit">Erase personal data</button>
</form>
</body></html>`;
}

/** What the last action did, from the query its redirect carries; only known values are shown. */
function noticeOf(params: URLSearchParams, appName: string): string | null {
  const notice = params.get("notice");
  if (notice === "tags-added") return "Tags added. Shopify tells the app with customers/update.";
  if (notice === "no-tags") return "Enter at least one tag.";
  const topic = params.get("sent");
  if (!isComplianceTopic(topic)) return null;
  const status = /^\d{3}$/.test(params.get("status") ?? "") ? `HTTP ${params.get("status")}` : "no answer";
  return params.get("outcome") === "delivered"
    ? `Shopify sent ${topic} to ${appName}: delivered (${status}).`
    : `Shopify could not deliver ${topic} to ${appName} (${status}), after every retry.`;
}

const isComplianceTopic = (topic: string | null): topic is ComplianceTopic => Object.values<string | null>(COMPLIANCE_ACTIONS).includes(topic);

const html = (body: string) => new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });

/** Post, then redirect to the page to get (a reload does not send the webhook again). */
const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location } });

const methodNotAllowed = (allow: string) => new Response("Method not allowed", { status: 405, headers: { Allow: allow } });

const STYLE = `<style>
  body { margin: 24px; font: 13px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; color: #303030; background: #f1f1f1; }
  table { border-collapse: collapse; background: #fff; width: 100%; margin-bottom: 24px; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
  table.facts th { width: 160px; font-weight: 600; }
  .tag { display: inline-block; background: #e3e3e3; border-radius: 6px; padding: 0 6px; margin: 1px 0; }
  .notice { background: #fff; border-left: 4px solid #008060; padding: 8px 12px; }
  form.action { background: #fff; padding: 8px 12px; margin-bottom: 12px; }
  form.action p { margin: 0 0 8px; max-width: 720px; }
  button { border-radius: 8px; padding: 6px 12px; cursor: pointer; font: inherit; border: 1px solid #8a8a8a; background: #fff; }
</style>`;
