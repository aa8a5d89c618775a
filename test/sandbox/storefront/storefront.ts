/**
 * The sandbox's storefront preview: a page per visitor (a chosen customer, or a logged-out guest)
 * rendering our theme app extension's block and embed as Shopify would, with their scripts, and an
 * App Proxy that forwards `/apps/lifecycle/*` to the app signed the way Shopify signs it.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { appInstallationLegacyId } from "../store/ids";
import type { SandboxShop } from "../store/shop";
import type { LiquidApp, StorefrontCustomer, ThemeExtension } from "./render";

export interface StorefrontApp {
  appId: string;
  appUrl: string;
  apiSecret: string;
}

const PROXY_PREFIX = "/apps/lifecycle";
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The customer's metafields as the block's Liquid names them (`$app:loyalty`), from the shop's resolved namespaces. */
function storefrontCustomer(shop: SandboxShop, app: StorefrontApp, customerId: number): StorefrontCustomer {
  const metafields: StorefrontCustomer["metafields"] = {};
  const owned = `app--${app.appId}--`;
  for (const field of shop.metafieldsOf("CUSTOMER", customerId)) {
    if (!field.namespace.startsWith(owned)) continue;
    const namespace = `$app:${field.namespace.slice(owned.length)}`;
    (metafields[namespace] ??= {})[field.key] = { type: field.type, value: field.value };
  }
  return { id: customerId, metafields };
}

/** Liquid's `app`: our installation's app-data metafields (the programme's on/off switch), by namespace as stored. */
function liquidApp(shop: SandboxShop): LiquidApp {
  const metafields: LiquidApp["metafields"] = {};
  for (const field of shop.metafieldsOf("API_PERMISSION", appInstallationLegacyId(shop.info))) {
    (metafields[field.namespace] ??= {})[field.key] = { type: field.type, value: field.value };
  }
  return { metafields };
}

function summaryOf(shop: SandboxShop, app: StorefrontApp, customerId: number): { stage?: string | null; points?: number } | null {
  const field = storefrontCustomer(shop, app, customerId).metafields["$app:loyalty"]?.summary;
  return field ? (JSON.parse(field.value) as { stage?: string | null; points?: number }) : null;
}

/** Shopify's App Proxy signature: sorted `key=value` pairs (multiple values joined by commas), HMAC-SHA256 hex. */
export function signProxyQuery(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface StorefrontRequest {
  shop: SandboxShop;
  app: StorefrontApp;
  /** The app's theme app extension, whose blocks the pages render. */
  extension: ThemeExtension;
  /** The storefront's base path for this shop, e.g. `/store/demo/storefront`. */
  base: string;
  fetch: typeof fetch;
}

const html = (body: string) => new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });

/** Answers a storefront request under `base`, or null when the path is not the storefront's. */
export async function handleStorefront(request: Request, url: URL, { shop, app, extension, base, fetch: send }: StorefrontRequest): Promise<Response | null> {
  const rest = url.pathname.slice(base.length);
  if (rest === "" || rest === "/") return html(indexPage(shop, app, extension, base));

  const asset = /^\/assets\/([a-z-]+\.(?:js|css))$/.exec(rest);
  if (asset) {
    const type = asset[1]!.endsWith(".js") ? "text/javascript" : "text/css";
    return new Response(readFileSync(extension.assetFile(asset[1]!)), { headers: { "Content-Type": `${type}; charset=utf-8` } });
  }

  const visitor = /^\/(guest|\d+)(\/.*)?$/.exec(rest);
  if (!visitor) return null;
  const customerId = visitor[1] === "guest" ? null : Number(visitor[1]);
  if (customerId !== null && !shop.customer(customerId)) return new Response("No such customer", { status: 404 });
  const root = `${base}/${visitor[1]}`;
  const sub = visitor[2] ?? "";

  if (sub === "" || sub === "/") {
    const locale = (["en", "fr", "pl"] as const).find((candidate) => candidate === url.searchParams.get("locale")) ?? "en";
    return html(visitorPage(shop, app, extension, { customerId, locale, root, base }));
  }
  if (sub === "/cart/update.js" && request.method === "POST") {
    const body = (await request.json()) as { attributes?: Record<string, string> };
    carts.set(root, { ...carts.get(root), ...body.attributes });
    return Response.json({ attributes: carts.get(root) });
  }
  if (sub.startsWith(`${PROXY_PREFIX}/`) || sub === PROXY_PREFIX) {
    // As Shopify does: the visitor's query plus the shop, the logged-in customer, a timestamp, signed.
    const target = new URL(`${app.appUrl.replace(/\/$/, "")}/proxy${sub.slice(PROXY_PREFIX.length)}`);
    const params = new URLSearchParams(url.search);
    params.set("shop", shop.info.domain);
    params.set("logged_in_customer_id", customerId === null ? "" : String(customerId));
    params.set("path_prefix", PROXY_PREFIX);
    params.set("timestamp", String(Math.trunc(Date.now() / 1000)));
    params.set("signature", signProxyQuery(params, app.apiSecret));
    target.search = params.toString();
    const response = await send(target, {
      method: request.method,
      headers: { Accept: request.headers.get("accept") ?? "*/*", "Content-Type": request.headers.get("content-type") ?? "text/plain" },
      body: request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer(),
    });
    return new Response(await response.arrayBuffer(), {
      status: response.status,
      headers: { "Content-Type": response.headers.get("content-type") ?? "application/json" },
    });
  }
  return null;
}

// Per-visitor carts of the preview (only their attributes matter here).
const carts = new Map<string, Record<string, string>>();

/** What the preview's cart holds for a visitor (the embed stores the referral code there). */
export function previewCart(root: string): Record<string, string> | undefined {
  return carts.get(root);
}

function indexPage(shop: SandboxShop, app: StorefrontApp, extension: ThemeExtension, base: string): string {
  const byStage = new Map<string, { id: number; name: string; points: number }[]>();
  for (const customer of shop.customers()) {
    const summary = summaryOf(shop, app, customer.id);
    const stage = summary?.stage ?? "no points yet";
    const list = byStage.get(stage) ?? [];
    if (list.length < 3)
      list.push({
        id: customer.id,
        name: `${customer.firstName ?? ""} ${customer.lastName ?? ""}`.trim() || customer.email || String(customer.id),
        points: summary?.points ?? 0,
      });
    byStage.set(stage, list);
  }
  const sections = [...byStage]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([stage, customers]) =>
        `<h2>${escapeHtml(stage)}</h2><ul>${customers
          .map(
            (customer) =>
              `<li><a data-stage="${escapeHtml(stage)}" href="${base}/${customer.id}">${escapeHtml(customer.name)}</a> (${customer.points} points)</li>`,
          )
          .join("")}</ul>`,
    )
    .join("");
  return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(shop.info.name)} storefront preview</title>
<h1>${escapeHtml(shop.info.name)}: storefront preview</h1>
<p>Pick a visitor: the page shows our loyalty block as that logged-in customer sees it.</p>
${extension.blockAvailable("loyalty.liquid", liquidApp(shop)) ? "" : "<p data-programme-off><strong>The loyalty programme is off:</strong> the block shows nothing until the merchant turns it on (Loyalty, in the app).</p>"}
<p><a href="${base}/guest">A logged-out visitor</a></p>${sections}`;
}

function visitorPage(
  shop: SandboxShop,
  app: StorefrontApp,
  extension: ThemeExtension,
  options: { customerId: number | null; locale: "en" | "fr" | "pl"; root: string; base: string },
): string {
  const customer = options.customerId === null ? null : storefrontCustomer(shop, app, options.customerId);
  const liquid = liquidApp(shop);
  // As on Shopify, a block the app made unavailable renders nothing and loads no script.
  const scripts = [
    ...(extension.blockAvailable("loyalty.liquid", liquid) ? ["loyalty.js"] : []),
    ...(extension.blockAvailable("referral-capture.liquid", liquid) ? ["referral-capture.js"] : []),
  ];
  const block = extension.renderBlock("loyalty.liquid", {
    customer,
    app: liquid,
    locale: options.locale,
    currencyCode: shop.info.currencyCode,
    rootUrl: options.root,
    blockId: "loyalty-1",
    settings: { heading: "Rewards" },
  });
  const who = options.customerId === null ? "Guest" : shop.customer(options.customerId)?.firstName ?? `Customer ${options.customerId}`;
  return `<!doctype html><html lang="${options.locale}"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(shop.info.name)}</title>
<link rel="stylesheet" href="${options.base}/assets/loyalty.css">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}header{display:flex;justify-content:space-between;margin-bottom:2rem}</style>
<script>window.Shopify = { routes: { root: ${JSON.stringify(`${options.root}/`)} } };</script>
<header><strong>${escapeHtml(shop.info.name)}</strong><span data-visitor>${escapeHtml(who)}</span></header>
<main>${block}</main>
${scripts.map((script) => `<script src="${options.base}/assets/${script}" defer></script>`).join("\n")}
</html>`;
}
