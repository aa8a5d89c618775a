import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { authenticate } from "~/shopify.server";

// Shopify's libraries answer 410 to anything that looks like a bot.
export const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/** A merchant opening the app in Shopify admin: a signed embedded request, authenticated for real (token exchange, afterAuth). */
export async function openAppAsMerchant(type: RequestType = RequestType.Admin) {
  const request = await setUpValidRequest(
    { type, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app`, { headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );
  return authenticate.admin(request);
}
