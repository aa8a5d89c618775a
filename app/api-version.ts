import { ApiVersion } from "@shopify/shopify-api";

/** The one Admin API version of the app. shopify.app.toml's [webhooks] api_version must match (a test checks). */
export const API_VERSION = ApiVersion.July26;
