import type { GraphQLResolveInfo } from "graphql";
import type { SandboxAddress, SandboxCustomer } from "../../store/model";
import { canReadOrder } from "../access";
import { connectionOf, listConnection, type ConnectionArgs } from "../connection";
import { unsupportedArgument } from "../errors";
import { gid } from "../gid";
import { objectResolvers, type Args, type ResolverContext } from "./context";
import { amountSpentCents, lastOrderOf, numberOfOrders } from "./customer-stats";
import { ownerMetafieldFields } from "./metafields";
import { orderConnection } from "./orders";
import { customerSearch, searchFilter } from "./search";
import { sortedList } from "./sorted-lists";
import { moneyFromCents } from "./values";

const SORT_VALUES: Record<string, (customer: SandboxCustomer) => number | string> = {
  ID: (customer) => customer.id,
  RELEVANCE: (customer) => customer.id,
  CREATED_AT: (customer) => customer.createdAt,
  UPDATED_AT: (customer) => customer.updatedAt,
  NAME: (customer) => displayName(customer).toLowerCase(),
};

export function customerConnection(context: ResolverContext, info: GraphQLResolveInfo, args: Args) {
  const sortKey = (args.sortKey as string | undefined) ?? "ID";
  const sortValue = SORT_VALUES[sortKey];
  if (!sortValue) throw unsupportedArgument(info.parentType.name, info.fieldName, `sortKey ${sortKey}`);
  const matches = searchFilter(context, info, args.query, () => customerSearch(context.shop));
  const idOf = (customer: SandboxCustomer) => customer.id;
  const all = context.shop.customers();
  const sorted = sortKey === "ID" || sortKey === "RELEVANCE" ? all : sortedList(context.shop, `customers:${sortKey}`, all, sortValue, idOf);
  return connectionOf(args.query ? sorted.filter(matches) : sorted, args as ConnectionArgs, { sortValue, idOf, presorted: true });
}

/** Shopify's display name: the full name, else the email, else the phone number. */
export function displayName(customer: SandboxCustomer): string {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return name || customer.email || customer.phone || "";
}

interface AddressView {
  address: SandboxAddress;
  customer: SandboxCustomer;
}

function defaultAddress(customer: SandboxCustomer): AddressView | null {
  const address = customer.addresses.find((candidate) => candidate.id === customer.defaultAddressId);
  return address ? { address, customer } : null;
}

function unsubscribeUrl(customer: SandboxCustomer, context: ResolverContext): string {
  return `https://${context.shop.info.domain}/account/unsubscribe?customer_id=${customer.id}`;
}

/** Roughly Rails' distance_of_time_in_words, which Shopify uses for lifetimeDuration. */
function lifetime(createdAt: string, now: Date): string {
  const days = Math.floor((now.getTime() - Date.parse(createdAt)) / 86_400_000);
  if (days < 1) return "less than a day";
  if (days < 30) return days === 1 ? "1 day" : `${days} days`;
  const months = Math.round(days / 30);
  if (months < 12) return months === 1 ? "about 1 month" : `${months} months`;
  const years = Math.floor(days / 365);
  return years === 1 ? "about 1 year" : `about ${years} years`;
}

export const customerResolvers = {
  Customer: objectResolvers<SandboxCustomer>({
    id: (customer) => gid("Customer", customer.id),
    legacyResourceId: (customer) => String(customer.id),
    firstName: (customer) => customer.firstName,
    lastName: (customer) => customer.lastName,
    displayName: (customer) => displayName(customer),
    email: (customer) => customer.email,
    phone: (customer) => customer.phone,
    defaultEmailAddress: (customer) => (customer.email ? customer : null),
    defaultPhoneNumber: (customer) => (customer.phone ? customer : null),
    emailMarketingConsent: (customer) => (customer.email ? customer.emailMarketingConsent : null),
    validEmailAddress: (customer) => customer.email !== null && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customer.email),
    state: (customer) => customer.state,
    tags: (customer) => customer.tags,
    note: (customer) => customer.note,
    locale: (customer) => customer.locale,
    verifiedEmail: (customer) => customer.verifiedEmail,
    taxExempt: (customer) => customer.taxExempt,
    taxExemptions: () => [],
    dataSaleOptOut: () => false,
    multipassIdentifier: () => null,
    hasTimelineComment: () => false,
    companyContactProfiles: () => [],
    identityProviderSubjects: () => [],
    unsubscribeUrl: (customer, _args, context) => unsubscribeUrl(customer, context),
    createdAt: (customer) => customer.createdAt,
    updatedAt: (customer) => customer.updatedAt,
    lifetimeDuration: (customer, _args, context) => lifetime(customer.createdAt, context.shop.now()),
    numberOfOrders: (customer, _args, context) => String(numberOfOrders(context.shop, customer.id)),
    amountSpent: (customer, _args, context) => moneyFromCents(amountSpentCents(context.shop, customer.id), context.shop.info.currencyCode),
    canDelete: (customer, _args, context) => numberOfOrders(context.shop, customer.id) === 0,
    defaultAddress: (customer) => defaultAddress(customer),
    addresses: (customer, args) => {
      const views = customer.addresses.map((address): AddressView => ({ address, customer }));
      return typeof args.first === "number" ? views.slice(0, args.first) : views;
    },
    addressesV2: (customer, args) =>
      listConnection(
        customer.addresses.map((address): AddressView => ({ address, customer })),
        args as ConnectionArgs,
        (view) => view.address.id,
      ),
    orders: (customer, args, context, info) => orderConnection(context, info, context.shop.ordersOfCustomer(customer.id), args),
    lastOrder: (customer, _args, context) => {
      const order = lastOrderOf(context.shop, customer.id);
      return order && canReadOrder(context.scopes, order, context.shop.now()) ? order : null;
    },
    ...ownerMetafieldFields<SandboxCustomer>("CUSTOMER", (customer) => customer.id),
  }),

  CustomerEmailAddress: objectResolvers<SandboxCustomer>({
    emailAddress: (customer) => customer.email,
    // INVALID and the rest map one to one; REDACTED has no counterpart on the address.
    marketingState: (customer) => {
      const state = customer.emailMarketingConsent.marketingState;
      return state === "REDACTED" ? "UNSUBSCRIBED" : state;
    },
    marketingOptInLevel: (customer) => customer.emailMarketingConsent.marketingOptInLevel,
    marketingUpdatedAt: (customer) => customer.emailMarketingConsent.consentUpdatedAt,
    validFormat: (customer) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customer.email ?? ""),
    openTrackingLevel: () => "UNKNOWN",
    sourceLocation: () => null,
    marketingUnsubscribeUrl: (customer, _args, context) => unsubscribeUrl(customer, context),
    openTrackingUrl: (customer, _args, context) => `https://${context.shop.info.domain}/account/open_tracking?customer_id=${customer.id}`,
  }),

  CustomerPhoneNumber: objectResolvers<SandboxCustomer>({
    phoneNumber: (customer) => customer.phone,
    // The sandbox keeps no SMS consent: every phone number is not subscribed.
    marketingState: () => "NOT_SUBSCRIBED",
    marketingOptInLevel: () => null,
    marketingUpdatedAt: () => null,
    marketingCollectedFrom: () => null,
    sourceLocation: () => null,
  }),

  CustomerEmailMarketingConsentState: objectResolvers<SandboxCustomer["emailMarketingConsent"]>({
    marketingState: (consent) => consent.marketingState,
    marketingOptInLevel: (consent) => consent.marketingOptInLevel,
    consentUpdatedAt: (consent) => consent.consentUpdatedAt,
    sourceLocation: () => null,
  }),

  MailingAddress: objectResolvers<AddressView>({
    id: ({ address }) => `${gid("MailingAddress", address.id)}?model_name=CustomerAddress`,
    firstName: ({ customer }) => customer.firstName,
    lastName: ({ customer }) => customer.lastName,
    name: ({ customer }) => [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null,
    company: () => null,
    address1: ({ address }) => address.address1,
    address2: ({ address }) => address.address2,
    city: ({ address }) => address.city,
    province: ({ address }) => address.province,
    provinceCode: ({ address }) => address.provinceCode,
    country: ({ address }) => address.country,
    countryCode: ({ address }) => address.countryCode,
    countryCodeV2: ({ address }) => address.countryCode,
    zip: ({ address }) => address.zip,
    phone: ({ address }) => address.phone,
    latitude: () => null,
    longitude: () => null,
    coordinatesValidated: () => false,
    timeZone: () => null,
    validationResultSummary: () => null,
    formattedArea: ({ address }) => [address.city, address.provinceCode ?? address.province, address.country].filter(Boolean).join(", ") || null,
    formatted: ({ address, customer }, args) => {
      const lines: string[] = [];
      if (args.withName) {
        const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
        if (name) lines.push(name);
      }
      lines.push(address.address1);
      if (address.address2) lines.push(address.address2);
      lines.push([address.city, address.provinceCode, address.zip].filter(Boolean).join(" "));
      lines.push(address.country);
      return lines.filter(Boolean);
    },
  }),
};
