import type { SandboxShopApi } from "../store/shop-api";

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** Members of a segment whose query is a tag test; other queries are not evaluated by the sandbox (null). */
function tagSegmentMembers(shop: SandboxShopApi, query: string): number | null {
  const match = /^customer_tags CONTAINS '([^']*)'$/.exec(query.trim());
  if (!match) return null;
  const tag = match[1]!.toLowerCase();
  return shop.customers().filter((customer) => customer.tags.some((held) => held.toLowerCase() === tag)).length;
}

/**
 * The sandbox admin's customer list and segments, as a merchant would look them up in Shopify
 * admin: what the app wrote back (tags, app metafields, segments) is visible here.
 */
export function customersPageHtml(shop: SandboxShopApi, options: { limit?: number } = {}): string {
  const limit = options.limit ?? 200;
  const segments = shop
    .segments()
    .map((segment) => {
      const members = tagSegmentMembers(shop, segment.query);
      return `<tr><td>${escapeHtml(segment.name)}</td><td><code>${escapeHtml(segment.query)}</code></td><td data-segment-members>${members ?? "—"}</td></tr>`;
    })
    .join("");
  const customers = shop
    .customers()
    .slice(0, limit)
    .map((customer) => {
      const fields = shop
        .metafieldsOf("CUSTOMER", customer.id)
        .map((field) => `${escapeHtml(field.key)}=${escapeHtml(field.value)}`)
        .join(" · ");
      const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || String(customer.id);
      return `<tr><td>${escapeHtml(name)}</td><td>${customer.tags.map((tag) => `<span class="tag">${escapeHtml(tag)}</span>`).join(" ")}</td><td>${fields}</td></tr>`;
    })
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Customers · ${escapeHtml(shop.info.name)} · Sandbox admin</title>
<style>
  body { margin: 24px; font: 13px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; color: #303030; background: #f1f1f1; }
  table { border-collapse: collapse; background: #fff; width: 100%; margin-bottom: 24px; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
  .tag { display: inline-block; background: #e3e3e3; border-radius: 6px; padding: 0 6px; margin: 1px 0; }
</style></head>
<body>
<h1>${escapeHtml(shop.info.name)}: customer segments</h1>
<table><thead><tr><th>Segment</th><th>Query</th><th>Customers</th></tr></thead><tbody>${segments}</tbody></table>
<h1>Customers (first ${Math.min(limit, shop.customers().length)} of ${shop.customers().length})</h1>
<table><thead><tr><th>Customer</th><th>Tags</th><th>App metafields</th></tr></thead><tbody>${customers}</tbody></table>
</body></html>`;
}
