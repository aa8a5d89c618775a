/**
 * @lifecycle/shopify-sandbox: a local Shopify for one app (README.md says what it emulates). This
 * is what the app's tests, the demo and the benches may use; the msw handlers are in `./msw`.
 */

// The sandbox around one app: shops, OAuth and session tokens, Admin GraphQL, webhooks, the admin
// shell with its customer pages, and the storefront preview with the App Proxy.
export { appFromTomlFile, Sandbox, type SandboxApp } from "./server/sandbox";
export type { OAuthState } from "./server/oauth";

// Serving it: over loopback HTTP (the demo, benches), or in process by replacing fetch.
export { serveFetchHandler, type RunningHttpServer } from "./server/http";
export { routeShopifyFetchTo } from "./server/fetch-routing";

// Shops: generated, persisted, made to move; their data as the sandbox holds it.
export { SandboxShop } from "./store/shop";
export { generateShopData } from "./store/generate";
export { loadShopData, saveShopData } from "./store/persist";
export { generateActivity } from "./store/activity";
export { appInstallationLegacyId, shopLegacyId } from "./store/ids";
export { ManualClock } from "./store/clock";
export { Random } from "./store/random";
export type { SandboxAddress, SandboxCustomer, SandboxShopInfo } from "./store/model";

// Admin GraphQL: the schema it validates on, and test controls for bulk operations.
export { adminSchema, bulkOperationsSettled, failNextBulkOperation, holdBulkQueries } from "./graphql";

// Webhooks: subscriptions read from shopify.app.toml, signed delivery with Shopify's retries, and
// the payloads Shopify sends for each topic.
export {
  createWebhookDispatcher,
  readSubscriptions,
  UnsubscribedTopicError,
  type DeliveryResult,
  type WebhookDispatcherOptions,
} from "./webhooks/dispatch";
export {
  appUninstalledPayload,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  orderPayload,
  refundPayload,
  shopRedactPayload,
} from "./webhooks/payloads";

// The storefront: the app's theme app extension rendered with Liquid as a storefront would.
export { themeExtension, type LiquidApp, type RenderOptions } from "./storefront/render";
