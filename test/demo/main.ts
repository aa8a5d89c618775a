/**
 * `npm run demo`: the app on its embedded defaults (SQLite) against a sandbox store, on loopback.
 * Starts the sandbox (Admin API, OAuth, webhooks, an admin page), installs the app into a
 * generated shop, starts the app, and prints the admin URL to open in a browser.
 *
 *   npm run demo -- --reset            forget the demo's store and database, generate anew
 *   npm run demo -- --customers 5000   size of a newly generated store (50 … 100,000)
 *   npm run demo -- --dev              run the app through Vite (no build step, slower pages)
 *   npm run demo -- --port 3000 --sandbox-port 3001 --shop lifecycle-demo --seed 20261123
 *   npm run demo -- --state-dir DIR    keep the store and database elsewhere (default .sandbox/demo)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  generateShopData,
  loadShopData,
  routeShopifyFetchTo,
  Sandbox,
  saveShopData,
  serveFetchHandler,
  type OAuthState,
} from "@lifecycle/shopify-sandbox";
import { REPO_ROOT } from "../support/paths";
import { appFromToml, THEME_EXTENSION_DIR } from "../support/sandbox-app";
import { ensureProductionBuild } from "../bench/build";
import { startAppServer } from "./app-server";

const Flags = z.object({
  reset: z.boolean(),
  dev: z.boolean(),
  customers: z.coerce.number().int().min(50).max(100_000),
  seed: z.coerce.number().int().min(0),
  port: z.coerce.number().int().min(0).max(65535),
  sandboxPort: z.coerce.number().int().min(0).max(65535),
  shop: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a shop handle: lowercase letters, digits and dashes"),
  stateDir: z.string().min(1),
});

function parseFlags(argv: string[]) {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const result = Flags.safeParse({
    reset: argv.includes("--reset"),
    dev: argv.includes("--dev"),
    customers: value("customers") ?? 2_000,
    seed: value("seed") ?? 20261123,
    port: value("port") ?? process.env.PORT ?? 3000,
    sandboxPort: value("sandbox-port") ?? process.env.SANDBOX_PORT ?? 3001,
    shop: value("shop") ?? "lifecycle-demo",
    stateDir: value("state-dir") ?? path.join(REPO_ROOT, ".sandbox", "demo"),
  });
  if (!result.success) {
    console.error(result.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
    process.exit(2);
  }
  return result.data;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const stateDir = path.resolve(flags.stateDir);
  if (flags.reset) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const domain = `${flags.shop}.myshopify.com`;
  const appUrl = `http://127.0.0.1:${flags.port}`;
  const sandboxUrl = `http://127.0.0.1:${flags.sandboxPort}`;
  // An empty DATABASE_URL counts as unset, as it does for the app (app/db-url.ts).
  const databaseUrl = process.env.DATABASE_URL?.trim() || `file:${path.join(stateDir, "app.sqlite")}`;
  const credentials = demoCredentials(stateDir);

  migrate(databaseUrl);
  Object.assign(process.env, {
    NODE_ENV: flags.dev ? "development" : "production",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: credentials.apiKey,
    SHOPIFY_API_SECRET: credentials.apiSecret,
    SHOPIFY_APP_URL: appUrl,
    APP_BRIDGE_URL: `${sandboxUrl}/app-bridge.js`,
    // The import runs thousands of jobs: the demo's terminal shows their warnings and errors, not a line each.
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  });

  const app = appFromToml({ ...credentials, appUrl });
  process.env.SCOPES = app.scopes.join(",");
  const nativeFetch = globalThis.fetch;
  // Shopify keeps the tokens it issued; so does the demo, or the app's stored session would be refused next run.
  const oauthFile = path.join(stateDir, "oauth.json");
  const sandbox = new Sandbox({
    app,
    publicUrl: sandboxUrl,
    themeExtensionDir: THEME_EXTENSION_DIR,
    autoDeliverWebhooks: true,
    fetch: nativeFetch,
    onOAuthChange: () => writeFileSync(oauthFile, JSON.stringify(sandbox.oauth.snapshot())),
  });
  if (existsSync(oauthFile)) sandbox.oauth.restore(JSON.parse(readFileSync(oauthFile, "utf8")) as OAuthState);
  // Before the app is loaded: the Shopify libraries keep the fetch they find at import.
  routeShopifyFetchTo(sandbox.handle);

  const shopFile = path.join(stateDir, `${flags.shop}.json.gz`);
  const started = Date.now();
  const freshShop = !existsSync(shopFile);
  const data = !freshShop
    ? await loadShopData(shopFile)
    : generateShopData({ seed: flags.seed, customers: flags.customers, now: new Date(), domain, name: "Lifecycle Demo Store" });
  const shop = sandbox.addShop(data);
  await saveShopData(shopFile, shop.snapshot());
  let saveTimer: NodeJS.Timeout | undefined;
  shop.onChange(() => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void saveShopData(shopFile, shop.snapshot()), 1_000);
  });
  sandbox.install(domain);
  console.log(`Sandbox shop ${domain}: ${shop.customers().length} customers, ${shop.orders().length} orders (${Date.now() - started} ms)`);

  const sandboxServer = await serveFetchHandler(sandbox.handle, { port: flags.sandboxPort }).catch(portError("--sandbox-port", flags.sandboxPort));
  if (!flags.dev) ensureProductionBuild((line) => console.log(line));
  const appServer = await startAppServer({ port: flags.port, mode: flags.dev ? "development" : "production", extraFrameAncestors: [sandboxUrl] }).catch(
    portError("--port", flags.port),
  );

  // Install as Shopify admin does: the first embedded load exchanges a session token for the offline token.
  const firstLoad = await nativeFetch(sandbox.embeddedAppUrl(domain), { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Sandbox demo" } });
  if (!firstLoad.ok) throw new Error(`The app answered ${firstLoad.status} to its first embedded load: ${(await firstLoad.text()).slice(0, 500)}`);
  // The loyalty programme is off until a merchant turns it on; the demo's merchant does, once, on
  // the Loyalty page, so the storefront preview shows the block. (Turned off later, it stays off.)
  if (freshShop) await turnLoyaltyOn(nativeFetch, appUrl, sandbox.sessionToken(domain));

  console.log(`App: ${appUrl} (${flags.dev ? "Vite dev" : "production build"}), database ${databaseUrl}`);
  console.log(`Sandbox: ${sandboxUrl}`);
  console.log(`Admin: ${sandbox.adminUrl(domain)}`);
  console.log(`Storefront: ${sandbox.storefrontUrl(domain)}`);

  const stop = async () => {
    clearTimeout(saveTimer);
    await saveShopData(shopFile, shop.snapshot());
    await Promise.allSettled([appServer.close(), sandboxServer.close()]);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** What App Bridge sends when the merchant presses "Turn on the loyalty programme" on the Loyalty page. */
async function turnLoyaltyOn(send: typeof fetch, appUrl: string, sessionToken: string) {
  const response = await send(`${appUrl}/app/loyalty.data`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${sessionToken}`,
      "Content-Type": "application/x-www-form-urlencoded",
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Sandbox demo",
    },
    body: new URLSearchParams({ intent: "turn-on" }),
  });
  if (!response.ok) throw new Error(`The app answered ${response.status} to turning the loyalty programme on: ${(await response.text()).slice(0, 500)}`);
}

/** The demo app's credentials, kept with its state so sessions stay valid across runs. */
function demoCredentials(stateDir: string): { apiKey: string; apiSecret: string } {
  const file = path.join(stateDir, "credentials.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { apiKey: string; apiSecret: string };
  const credentials = { apiKey: "sandbox-lifecycle-demo", apiSecret: randomBytes(24).toString("hex") };
  writeFileSync(file, JSON.stringify(credentials));
  return credentials;
}

function migrate(databaseUrl: string) {
  execFileSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

function portError(flag: string, port: number) {
  return (error: NodeJS.ErrnoException): never => {
    if (error.code === "EADDRINUSE") {
      console.error(`Port ${port} is in use: stop what uses it or pass ${flag} <another port>.`);
      process.exit(1);
    }
    throw error;
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
