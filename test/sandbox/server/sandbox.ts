import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { createFileStore, handleAdminGraphqlRequest, LeakyBuckets, type FileStore } from "../graphql";
import type { SandboxShopData } from "../store/model";
import { SandboxShop } from "../store/shop";
import { generateActivity, type ActivitySummary } from "../store/activity";
import { createWebhookDispatcher, readSubscriptions, type WebhookDispatcher, type WebhookSubscription } from "../webhooks/dispatch";
import { adminShellHtml } from "./admin-shell";
import { handleCustomerAdmin } from "./customers-page";
import { SandboxOAuth } from "./oauth";
import { mintSessionToken, SESSION_TOKEN_TTL_SECONDS } from "./session-token";
import { themeExtension, type ThemeExtension } from "../storefront/render";
import { handleStorefront } from "../storefront/storefront";

export interface SandboxApp {
  apiKey: string;
  apiSecret: string;
  /** Where the app runs (SHOPIFY_APP_URL): webhooks and the framed admin page go there. */
  appUrl: string;
  /** Shopify's numeric id for the app: `$app` metafield namespaces resolve to `app--<appId>`. */
  appId: string;
  name: string;
  handle: string;
  scopes: string[];
  apiVersion: string;
  /** The webhooks the app subscribes to, with absolute URIs on `appUrl`. */
  webhookSubscriptions: WebhookSubscription[];
}

export interface SandboxOptions {
  app: SandboxApp;
  /** The sandbox's own origin: files, the App Bridge stand-in and the admin pages are served there. */
  publicUrl: string;
  clock?: () => Date;
  /**
   * The shops' own clock, for the timestamps of their data, when it should move apart from the
   * clock of tokens and sessions: e.g. a ManualClock that generated activity advances by hours.
   */
  shopClock?: () => Date;
  /** Deliver webhooks shortly after each change (the demo) instead of when a test flushes. */
  autoDeliverWebhooks?: boolean;
  fetch?: typeof fetch;
  /** Told when installations or tokens change, e.g. to persist `sandbox.oauth.snapshot()`. */
  onOAuthChange?: () => void;
  /** Milliseconds for the Admin API's leaky buckets (default: real time), so tests move time instead of waiting. */
  throttleClock?: () => number;
  /** The app's theme app extension (its blocks/, locales/, assets/): the storefront preview renders it; without it there is none. */
  themeExtensionDir?: string;
}

interface ShopEntry {
  shop: SandboxShop;
  dispatcher: WebhookDispatcher;
}

const SHOP_HOST = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/;
const STAND_IN_SCRIPT = fileURLToPath(new URL("./browser/app-bridge.js", import.meta.url));
const SANDBOX_USER_ID = 902541635;

/** The app as its shopify.app.toml (`tomlFile`) declares it: name, handle, scopes, webhook API version and subscriptions. */
export function appFromTomlFile(tomlFile: string, credentials: Pick<SandboxApp, "apiKey" | "apiSecret" | "appUrl">, appId = "4242424242"): SandboxApp {
  const toml = parseToml(readFileSync(tomlFile, "utf8")) as {
    name: string;
    handle: string;
    access_scopes: { scopes: string };
    webhooks: { api_version: string };
  };
  return {
    ...credentials,
    appId,
    name: toml.name,
    handle: toml.handle,
    scopes: toml.access_scopes.scopes.split(",").map((scope) => scope.trim()),
    apiVersion: toml.webhooks.api_version,
    webhookSubscriptions: readSubscriptions(tomlFile, credentials.appUrl),
  };
}

/**
 * A local stand-in for Shopify around one app: shops with their Admin GraphQL API, OAuth token
 * exchange, bulk operation files, webhooks to the app, and an admin page that embeds the app.
 * `handle` answers both `https://<shop>.myshopify.com/…` requests (routed here by msw in tests or
 * by the demo's fetch routing) and requests to the sandbox's own origin.
 */
export class Sandbox {
  readonly oauth: SandboxOAuth;
  readonly files: FileStore;
  private readonly buckets: LeakyBuckets;
  private readonly shops = new Map<string, ShopEntry>();
  private readonly clock: () => Date;
  private readonly origin: string;
  private readonly extension: ThemeExtension | undefined;

  constructor(private readonly options: SandboxOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.buckets = new LeakyBuckets(options.throttleClock ? { now: options.throttleClock } : {});
    this.oauth = new SandboxOAuth({ apiKey: options.app.apiKey, apiSecret: options.app.apiSecret }, this.clock, options.onOAuthChange);
    this.files = createFileStore({ baseUrl: `${options.publicUrl}/files` });
    this.origin = new URL(options.publicUrl).origin;
    this.extension = options.themeExtensionDir ? themeExtension(options.themeExtensionDir) : undefined;
  }

  get app(): SandboxApp {
    return this.options.app;
  }

  get publicUrl(): string {
    return this.options.publicUrl;
  }

  addShop(data: SandboxShopData): SandboxShop {
    const shop = new SandboxShop(data, { clock: this.options.shopClock ?? this.clock });
    const dispatcher = createWebhookDispatcher({
      shop,
      appUrl: this.options.app.appUrl,
      apiSecret: this.options.app.apiSecret,
      apiVersion: this.options.app.apiVersion,
      subscriptions: this.options.app.webhookSubscriptions,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      autoFlush: this.options.autoDeliverWebhooks ?? false,
    });
    this.shops.set(shop.info.domain, { shop, dispatcher });
    return shop;
  }

  shop(domain: string): SandboxShop {
    const entry = this.shops.get(domain);
    if (!entry) throw new Error(`No sandbox shop ${domain}`);
    return entry.shop;
  }

  webhooks(domain: string): WebhookDispatcher {
    const entry = this.shops.get(domain);
    if (!entry) throw new Error(`No sandbox shop ${domain}`);
    return entry.dispatcher;
  }

  /** Shopify-managed installation: the merchant approves the scopes shopify.app.toml asks for. */
  install(domain: string) {
    this.shop(domain);
    this.oauth.install(domain, this.options.app.scopes);
  }

  sessionToken(domain: string): string {
    return mintSessionToken({ shop: domain, apiKey: this.options.app.apiKey, apiSecret: this.options.app.apiSecret, userId: SANDBOX_USER_ID, now: this.clock() });
  }

  /** The admin page that embeds the app, as https://admin.shopify.com/store/<handle>/apps/<app> would. */
  /** The storefront preview of a shop: pick a customer and see our theme block as they would. */
  storefrontUrl(domain: string): string {
    return `${this.options.publicUrl}/store/${handleOf(domain)}/storefront`;
  }

  adminUrl(domain: string, options: { path?: string; locale?: string } = {}): string {
    const url = new URL(`${this.options.publicUrl}/store/${handleOf(domain)}/apps/${this.options.app.handle}`);
    if (options.path) url.searchParams.set("path", options.path);
    if (options.locale) url.searchParams.set("locale", options.locale);
    return url.toString();
  }

  /** The URL Shopify admin loads in the app's iframe: embedded, with a fresh session token. */
  embeddedAppUrl(domain: string, options: { path?: string; locale?: string } = {}): string {
    const url = new URL(options.path ?? "/app", this.options.app.appUrl);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", domain);
    url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${handleOf(domain)}`).toString("base64url"));
    url.searchParams.set("locale", options.locale ?? "en");
    url.searchParams.set("id_token", this.sessionToken(domain));
    return url.toString();
  }

  handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const shopMatch = SHOP_HOST.exec(url.hostname);
    if (shopMatch) return this.handleShopRequest(url.hostname, url, request);
    if (url.origin === this.origin) return this.handleOwnRequest(url, request);
    return new Response("Not a sandbox address", { status: 404 });
  };

  private async handleShopRequest(domain: string, url: URL, request: Request): Promise<Response> {
    const entry = this.shops.get(domain);
    if (!entry) return Response.json({ errors: "Not Found" }, { status: 404 });
    if (url.pathname === "/admin/oauth/access_token" && request.method === "POST") {
      return this.oauth.handleAccessTokenRequest(domain, request);
    }
    const graphql = /^\/admin\/api\/([0-9]{4}-[0-9]{2}|unstable)\/graphql\.json$/.exec(url.pathname);
    if (graphql && request.method === "POST") {
      const scopes = this.oauth.authorize(domain, request.headers.get("x-shopify-access-token"));
      if (!scopes) {
        return Response.json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, { status: 401 });
      }
      return handleAdminGraphqlRequest(request, {
        shop: entry.shop,
        appId: this.options.app.appId,
        scopes,
        bucket: this.buckets.bucketFor(domain, this.options.app.appId, entry.shop.info.plan),
        files: this.files,
      });
    }
    return Response.json({ errors: "Not Found" }, { status: 404 });
  }

  private async handleOwnRequest(url: URL, request: Request): Promise<Response> {
    const file = await this.files.handleFileRequest(request);
    if (file) return file;

    if (url.pathname === "/app-bridge.js") {
      return new Response(readFileSync(STAND_IN_SCRIPT), { headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" } });
    }

    if (url.pathname === "/session-token") {
      const cors = { "Access-Control-Allow-Origin": new URL(this.options.app.appUrl).origin, Vary: "Origin" };
      const domain = url.searchParams.get("shop") ?? "";
      if (url.searchParams.get("api_key") !== this.options.app.apiKey || !this.oauth.isInstalled(domain)) {
        return Response.json({ error: "The app is not installed on this shop" }, { status: 403, headers: cors });
      }
      const expiresAt = this.clock().getTime() + SESSION_TOKEN_TTL_SECONDS * 1000;
      return Response.json({ token: this.sessionToken(domain), expiresAt }, { headers: cors });
    }

    const storefront = /^\/store\/([a-z0-9-]+)\/storefront(?:\/|$)/.exec(url.pathname);
    if (storefront && this.extension) {
      const entry = this.shops.get(`${storefront[1]}.myshopify.com`);
      if (!entry) return new Response("No such shop", { status: 404 });
      const app = { appId: this.options.app.appId, appUrl: this.options.app.appUrl, apiSecret: this.options.app.apiSecret };
      const base = `/store/${storefront[1]}/storefront`;
      const answer = await handleStorefront(request, url, { shop: entry.shop, app, extension: this.extension, base, fetch: this.options.fetch ?? fetch });
      if (answer) return answer;
    }

    const customersPage = /^\/store\/([a-z0-9-]+)\/customers(?:\/|$)/.exec(url.pathname);
    if (customersPage) {
      const entry = this.shops.get(`${customersPage[1]}.myshopify.com`);
      if (!entry) return new Response("No such shop", { status: 404 });
      const context = { shop: entry.shop, dispatcher: entry.dispatcher, appName: this.options.app.name, base: `/store/${customersPage[1]}` };
      const answer = await handleCustomerAdmin(request, url, context);
      if (answer) return answer;
    }

    const admin = /^\/store\/([a-z0-9-]+)\/apps\/([a-z0-9-]+)$/.exec(url.pathname);
    if (admin && request.method === "GET") {
      const domain = `${admin[1]}.myshopify.com`;
      const entry = this.shops.get(domain);
      if (!entry || admin[2] !== this.options.app.handle) return new Response("No such shop or app", { status: 404 });
      if (!this.oauth.isInstalled(domain)) return new Response(`${this.options.app.name} is not installed on ${domain}`, { status: 404 });
      const options = { path: url.searchParams.get("path") ?? undefined, locale: url.searchParams.get("locale") ?? undefined };
      return new Response(
        adminShellHtml({
          shopName: entry.shop.info.name,
          shopDomain: domain,
          appName: this.options.app.name,
          appSrc: this.embeddedAppUrl(domain, options),
          appOrigin: new URL(this.options.app.appUrl).origin,
          activityUrl: `${this.options.publicUrl}/store/${admin[1]}/activity`,
          customersUrl: `${this.options.publicUrl}/store/${admin[1]}/customers`,
        }),
        { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } },
      );
    }

    const activity = /^\/store\/([a-z0-9-]+)\/activity$/.exec(url.pathname);
    if (activity && request.method === "POST") {
      const domain = `${activity[1]}.myshopify.com`;
      const entry = this.shops.get(domain);
      if (!entry) return Response.json({ error: "No such shop" }, { status: 404 });
      const count = Math.min(Math.max(Number(url.searchParams.get("count")) || 10, 1), 500);
      const result = generateActivity(entry.shop, { seed: Date.now() % 2 ** 31, count });
      await entry.dispatcher.flush();
      return Response.json({ summary: describeActivity(result), result });
    }

    if (url.pathname === "/" && request.method === "GET") {
      const links = [...this.shops.values()]
        .map(({ shop }) => `<li><a href="${this.adminUrl(shop.info.domain)}">${shop.info.name}</a> (${shop.info.domain}, ${shop.customers().length} customers, ${shop.orders().length} orders)</li>`)
        .join("");
      return new Response(`<!doctype html><title>Sandbox store</title><h1>Sandbox shops</h1><ul>${links}</ul>`, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
    return new Response("Not found", { status: 404 });
  }
}

export function handleOf(domain: string): string {
  return domain.replace(/\.myshopify\.com$/, "");
}

function describeActivity(result: ActivitySummary): string {
  const happened = Object.entries(result.counts).filter(([, count]) => count > 0);
  return happened.length ? happened.map(([kind, count]) => `${count} × ${kind.replace("_", " ")}`).join(", ") : "Nothing happened";
}
