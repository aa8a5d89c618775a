import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { API_VERSION } from "./api-version";
import prisma from "./db.server";
import { env } from "./env.server";
import { recordAuthentication } from "./shops/installation.server";
import { sessionCache } from "./shops/sessions.server";

const config = env();

/** The app's only shopifyApp(): every route authenticates through what this module exports. */
const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: sessionCache,
  distribution: AppDistribution.AppStore,
  future: {
    // Embedded auth by token exchange; scopes are managed by Shopify from shopify.app.toml.
    unstable_newEmbeddedAuthStrategy: true,
    // Offline tokens expire after an hour and are refreshed with a rotating refresh token.
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await recordAuthentication(prisma, session.shop, session.scope);
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
