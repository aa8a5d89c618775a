import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { API_VERSION } from "./api-version";
import prisma from "./db.server";
import { env } from "./env.server";
import { CachedSessionStorage } from "./shops/cached-session-storage.server";
import { recordInstallation } from "./shops/installation.server";
import { ensureInitialBackfill } from "./sync/backfill.server";
import { scheduleReconciliation } from "./sync/reconcile.server";
import { scheduleDailyRecompute } from "./lifecycle-store/jobs.server";
import { scheduleLoyaltyDaily } from "./loyalty-store/jobs.server";
import { scheduleRetention } from "./webhooks/retention.server";

const config = env();
const sessionCache = new CachedSessionStorage(new PrismaSessionStorage(prisma));

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
      await recordInstallation(prisma, session.shop, session.scope);
      // A new shop is backfilled, and every shop reconciled, by the job worker.
      await ensureInitialBackfill(prisma, session.shop);
      await scheduleReconciliation(prisma, session.shop);
      await scheduleDailyRecompute(prisma, session.shop);
      await scheduleLoyaltyDaily(prisma, session.shop);
      // Raw payloads are pruned by an app-wide job, whatever becomes of this shop.
      await scheduleRetention(prisma);
      globalThis.lifecycleWorker?.wake();
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
/** After sessions were changed in the database directly (uninstall, redact). */
export const forgetCachedSessions = (shop: string) => sessionCache.forgetShop(shop);
