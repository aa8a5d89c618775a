import type { SandboxShopInfo } from "./model";

/** FNV-1a: a stable 32-bit number from text, for ids that must not change between runs. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The shop's numeric id (Shopify's `Shop.id` legacy id). SandboxShopInfo has none, so it is derived
 * from the domain: SHOP-owned metafields and compliance payloads must agree on it.
 */
export function shopLegacyId(info: Pick<SandboxShopInfo, "domain">): number {
  return 10_000_000 + (stableHash(info.domain) % 90_000_000);
}

/**
 * The app's installation on the shop (`AppInstallation`, owner of app-data metafields). The sandbox
 * installs one app per shop, so the shop's domain is enough to derive it.
 */
export function appInstallationLegacyId(info: Pick<SandboxShopInfo, "domain">): number {
  return 10_000_000 + (stableHash(`${info.domain}/app-installation`) % 90_000_000);
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Shopify's ids are 13-digit numbers by now; starting there catches code that assumes 32-bit ids. */
export const FIRST_ID = 7_000_000_000_000;
