/**
 * This app as the sandbox store reads it, the way Shopify does: its shopify.app.toml (name, scopes,
 * webhook subscriptions) and its theme app extension. For tests, the demo and the benches.
 */
import path from "node:path";
import { appFromTomlFile, themeExtension, type SandboxApp } from "@lifecycle/shopify-sandbox";
import { REPO_ROOT } from "./paths";

export const APP_TOML = path.join(REPO_ROOT, "shopify.app.toml");
export const THEME_EXTENSION_DIR = path.join(REPO_ROOT, "extensions", "lifecycle-loyalty");

/** The app as this repository's shopify.app.toml declares it, with the given credentials. */
export function appFromToml(credentials: Pick<SandboxApp, "apiKey" | "apiSecret" | "appUrl">, appId?: string): SandboxApp {
  return appFromTomlFile(APP_TOML, credentials, appId);
}

/** The loyalty extension's blocks rendered as a storefront would. */
export const { blockAvailable, renderBlock } = themeExtension(THEME_EXTENSION_DIR);
export type { LiquidApp, RenderOptions } from "@lifecycle/shopify-sandbox";
