import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "~/db.server";
import { CachedSessionStorage } from "./cached-session-storage.server";

/** The app's session storage (shopifyApp's), cached: here so that webhook processing can forget a shop's without importing the app. */
export const sessionCache = new CachedSessionStorage(new PrismaSessionStorage(prisma));

/** After sessions were changed in the database directly (uninstall, redact). */
export const forgetCachedSessions = (shop: string) => sessionCache.forgetShop(shop);
