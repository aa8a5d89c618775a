import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

/** The app's environment under test: Shopify's test-helper credentials, so their signed requests verify. */
export function applyTestEnv(databaseUrl: string) {
  Object.assign(process.env, {
    NODE_ENV: "test",
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET_KEY,
    SHOPIFY_APP_URL: APP_URL,
    SCOPES: "read_customers,write_customers,read_orders,read_all_orders,read_discounts,write_discounts,write_app_proxy",
    DATABASE_URL: databaseUrl,
    // A line per job and delivery would bury the test output; warnings and errors still show.
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  });
}
