import type { SandboxShopInfo } from "../../store/model";
import { shopLegacyId } from "../../store/ids";
import { gid } from "../gid";
import { listConnection, type ConnectionArgs } from "../connection";
import { unsupportedArgument } from "../errors";
import { objectResolvers, type Args, type ResolverContext } from "./context";
import { ownerMetafieldFields, shopOwnerId } from "./metafields";
import { connectionResolvers, edgeResolvers } from "./values";

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

/** Every distinct tag (first spelling wins), alphabetical, as a StringConnection over positions. */
function tagConnection(lists: Iterable<readonly string[]>, args: Args) {
  const tags = new Map<string, string>();
  for (const list of lists) for (const tag of list) if (!tags.has(tag.toLowerCase())) tags.set(tag.toLowerCase(), tag);
  const sorted = [...tags.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return listConnection(
    sorted.map((tag, index) => ({ tag, index })),
    args as ConnectionArgs,
    (entry) => entry.index,
  );
}

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
    customerTags: (_info, args, context) => tagConnection(context.shop.customers().map((customer) => customer.tags), args),
    orderTags: (_info, args, context) => {
      if (args.sort !== "ALPHABETICAL") throw unsupportedArgument("Shop", "orderTags", `sort ${String(args.sort)}`);
      return tagConnection(context.shop.orders().map((order) => order.tags), args);
    },
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
  StringConnection: connectionResolvers<{ tag: string }>((entry) => entry.tag),
  StringEdge: edgeResolvers,
  ShopPlan: objectResolvers<SandboxShopInfo["plan"]>({
    publicDisplayName: (plan) => PLAN_NAMES[plan],
    displayName: (plan) => PLAN_NAMES[plan],
    partnerDevelopment: () => false,
    shopifyPlus: (plan) => plan === "PLUS",
  }),
};
