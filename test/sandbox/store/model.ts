/**
 * The sandbox store's data: one in-memory Shopify shop, shaped like Shopify's own objects so that
 * GraphQL resolvers, bulk exports and webhook payloads are thin views over it.
 *
 * Conventions: ids are Shopify's numeric legacy ids (GIDs are built from them); times are ISO-8601
 * strings in UTC; money is a decimal string in the shop currency ("12.50").
 */

export type CustomerState = "DISABLED" | "INVITED" | "ENABLED" | "DECLINED";
export type MarketingState = "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "REDACTED" | "INVALID";
export type MarketingOptInLevel = "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";
export type FinancialStatus =
  | "PENDING"
  | "AUTHORIZED"
  | "PARTIALLY_PAID"
  | "PAID"
  | "PARTIALLY_REFUNDED"
  | "REFUNDED"
  | "VOIDED"
  | "EXPIRED";
export type FulfillmentStatus = "UNFULFILLED" | "PARTIALLY_FULFILLED" | "FULFILLED";
export type CancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "STAFF" | "OTHER";

export interface SandboxAddress {
  id: number;
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  provinceCode: string | null;
  country: string;
  countryCode: string;
  zip: string;
  phone: string | null;
}

export interface SandboxCustomer {
  id: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  state: CustomerState;
  verifiedEmail: boolean;
  taxExempt: boolean;
  note: string | null;
  tags: string[];
  emailMarketingConsent: {
    marketingState: MarketingState;
    marketingOptInLevel: MarketingOptInLevel | null;
    consentUpdatedAt: string | null;
  };
  addresses: SandboxAddress[];
  defaultAddressId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface SandboxLineItem {
  id: number;
  title: string;
  sku: string;
  quantity: number;
  /** Unit price before discounts. */
  price: string;
}

export interface SandboxRefundLineItem {
  lineItemId: number;
  quantity: number;
  subtotal: string;
}

export interface SandboxRefund {
  id: number;
  orderId: number;
  createdAt: string;
  note: string | null;
  /** Everything returned to the buyer by this refund (line items, shipping, adjustments). */
  totalRefunded: string;
  refundLineItems: SandboxRefundLineItem[];
}

export interface SandboxOrder {
  id: number;
  /** "#1001" */
  name: string;
  number: number;
  customerId: number | null;
  email: string | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: CancelReason | null;
  closedAt: string | null;
  test: boolean;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  lineItems: SandboxLineItem[];
  subtotalPrice: string;
  totalDiscounts: string;
  totalShipping: string;
  totalTax: string;
  totalPrice: string;
  discountCodes: string[];
  /** Cart/note attributes, e.g. { key: "lifecycle_ref", value: "ANNA-7Q2" } set by our app embed. */
  customAttributes: { key: string; value: string }[];
  landingSite: string | null;
  referringSite: string | null;
  sourceName: string;
  tags: string[];
  refunds: SandboxRefund[];
}

/** Who owns a metafield; API_PERMISSION is Shopify's owner type of app-data metafields (owned by the app's installation). */
export type SandboxMetafieldOwnerType = "CUSTOMER" | "SHOP" | "API_PERMISSION";

export interface SandboxMetafield {
  id: number;
  ownerType: SandboxMetafieldOwnerType;
  ownerId: number;
  /** Stored resolved: "$app:lifecycle" is kept as "app--<appId>--lifecycle", as Shopify does. */
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface SandboxMetafieldDefinition {
  id: number;
  ownerType: "CUSTOMER" | "SHOP";
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  type: string;
  access: { admin: string | null; storefront: string | null };
}

export interface SandboxSegment {
  id: number;
  name: string;
  query: string;
  creationDate: string;
  lastEditDate: string;
}

export interface SandboxDiscountCode {
  id: number;
  title: string;
  code: string;
  /** The buyers who may use it, empty for everyone… */
  customerIds: number[];
  /** …or the members of these customer segments. */
  segmentIds: number[];
  /** Either a percentage (0–1) or a fixed amount in shop currency. */
  value: { percentage: number } | { amount: string };
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  startsAt: string;
  endsAt: string | null;
  createdAt: string;
}

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";

export interface SandboxBulkOperation {
  id: number;
  type: "QUERY" | "MUTATION";
  status: BulkOperationStatus;
  query: string;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  /** Where the JSONL result is served; null until COMPLETED (or when there were no results). */
  url: string | null;
  partialDataUrl: string | null;
}

export interface SandboxShopInfo {
  /** "lifecycle-demo.myshopify.com" */
  domain: string;
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  /** Shopify plan: decides the GraphQL restore rate (Standard: 100 points/s). */
  plan: "BASIC" | "STANDARD" | "ADVANCED" | "PLUS";
  createdAt: string;
}

/** Everything one sandbox shop holds. Plain data: JSON-serialisable, so the demo can persist it. */
export interface SandboxShopData {
  info: SandboxShopInfo;
  /** The seed and "now" the shop was generated from; generation is deterministic for both. */
  generatedFrom: { seed: number; customers: number; now: string } | null;
  customers: SandboxCustomer[];
  orders: SandboxOrder[];
  metafields: SandboxMetafield[];
  metafieldDefinitions: SandboxMetafieldDefinition[];
  segments: SandboxSegment[];
  discountCodes: SandboxDiscountCode[];
  bulkOperations: SandboxBulkOperation[];
  /** Next numeric id for any object (ids are unique across types, as Shopify's are in practice). */
  nextId: number;
  nextOrderNumber: number;
}
