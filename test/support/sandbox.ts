import { API_KEY, API_SECRET_KEY, APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { generateShopData, Sandbox } from "@lifecycle/shopify-sandbox";
import { sandboxHandlers } from "@lifecycle/shopify-sandbox/msw";
import { http } from "msw";
import { beforeEach } from "vitest";
import { mswServer } from "../setup/msw";
import { appFromToml, THEME_EXTENSION_DIR } from "./sandbox-app";

export const SANDBOX_TEST_URL = "https://sandbox.lifecycle.test";

/**
 * A sandbox store for one test file, wired with msw: the app under test (test-helper credentials)
 * is installed on TEST_SHOP, a generated shop, and its Shopify calls reach the sandbox.
 */
export function installTestSandbox(
  options: { customers?: number; seed?: number; now?: Date; throttleClock?: () => number; shopClock?: () => Date } = {},
) {
  const sandbox = new Sandbox({
    app: appFromToml({ apiKey: API_KEY, apiSecret: API_SECRET_KEY, appUrl: APP_URL }),
    publicUrl: SANDBOX_TEST_URL,
    themeExtensionDir: THEME_EXTENSION_DIR,
    ...(options.throttleClock ? { throttleClock: options.throttleClock } : {}),
    ...(options.shopClock ? { shopClock: options.shopClock } : {}),
  });
  const now = options.now ?? options.shopClock?.() ?? new Date();
  const shop = sandbox.addShop(generateShopData({ seed: options.seed ?? 1, customers: options.customers ?? 60, now, domain: TEST_SHOP, name: "Test Shop" }));
  sandbox.install(TEST_SHOP);
  // The setup file resets msw's handlers after every test; register them again before each.
  beforeEach(() => mswServer.use(...sandboxHandlers(sandbox)));
  return { sandbox, shop };
}

/** Delivers the sandbox's webhooks to the app's real webhook route, in process. */
export function routeWebhooksToApp(action: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>) {
  beforeEach(() => mswServer.use(http.post(`${APP_URL}/webhooks/*`, ({ request }) => action({ request, params: {}, context: {} }))));
}
