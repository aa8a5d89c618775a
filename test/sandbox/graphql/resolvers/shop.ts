import type { SandboxShopInfo } from "../../store/model";
import { shopLegacyId } from "../../store/ids";
import { gid } from "../gid";
import { objectResolvers, type ResolverContext } from "./context";
import { ownerMetafieldFields, shopOwnerId } from "./metafields";

const PLAN_NAMES: Record<SandboxShopInfo["plan"], string> = {
  BASIC: "Basic",
  STANDARD: "Grow",
  ADVANCED: "Advanced",
  PLUS: "Plus",
};

/** The zone's offset now, as Shopify formats it ("-0400") and in minutes. */
function offsetMinutes(timeZone: string, at: Date): number {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((entry) => entry.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? "");
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

function formatOffset(minutes: number): string {
  const absolute = Math.abs(minutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, "0");
  return `${minutes < 0 ? "-" : "+"}${hours}${String(absolute % 60).padStart(2, "0")}`;
}

const now = (context: ResolverContext) => context.shop.now();

export const shopResolvers = {
  Shop: objectResolvers<SandboxShopInfo>({
    id: (info) => gid("Shop", shopLegacyId(info)),
    name: (info) => info.name,
    email: (info) => info.email,
    contactEmail: (info) => info.email,
    myshopifyDomain: (info) => info.domain,
    url: (info) => `https://${info.domain}`,
    primaryDomain: (info) => info,
    currencyCode: (info) => info.currencyCode,
    enabledPresentmentCurrencies: (info) => [info.currencyCode],
    ianaTimezone: (info) => info.ianaTimezone,
    timezoneOffsetMinutes: (info, _args, context) => offsetMinutes(info.ianaTimezone, now(context)),
    timezoneOffset: (info, _args, context) => formatOffset(offsetMinutes(info.ianaTimezone, now(context))),
    timezoneAbbreviation: (info, _args, context) =>
      new Intl.DateTimeFormat("en-US", { timeZone: info.ianaTimezone, timeZoneName: "short" })
        .formatToParts(now(context))
        .find((entry) => entry.type === "timeZoneName")?.value ?? "UTC",
    plan: (info) => info.plan,
    createdAt: (info) => info.createdAt,
    updatedAt: (info) => info.createdAt,
    taxesIncluded: () => false,
    taxShipping: () => false,
    setupRequired: () => false,
    checkoutApiSupported: () => true,
    transactionalSmsDisabled: () => false,
    marketingSmsConsentEnabledAtCheckout: () => false,
    ...ownerMetafieldFields<SandboxShopInfo>("SHOP", shopOwnerId),
  }),
  /** The sandbox shop has no custom domain: its primary domain is the myshopify one. */
  Domain: objectResolvers<SandboxShopInfo>({
    id: (info) => gid("Domain", shopLegacyId(info)),
    host: (info) => info.domain,
    url: (info) => `https://${info.domain}`,
    sslEnabled: () => true,
  }),
  ShopPlan: objectResolvers<SandboxShopInfo["plan"]>({
    publicDisplayName: (plan) => PLAN_NAMES[plan],
    displayName: (plan) => PLAN_NAMES[plan],
    partnerDevelopment: () => false,
    shopifyPlus: (plan) => plan === "PLUS",
  }),
};
