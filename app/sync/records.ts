/**
 * The shop data we keep, as plain records, and the pure conversions into them from what Shopify
 * sends: REST webhook payloads and Admin GraphQL nodes (pages, bulk JSONL). No I/O here.
 */
import { z } from "zod";

export interface CustomerRecord {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  state: string;
  tags: string;
  emailMarketingState: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

export interface OrderRecord {
  id: string;
  customerId: string | null;
  name: string;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  financialStatus: string;
  test: boolean;
  currencyCode: string;
  subtotalMinor: number;
  totalMinor: number;
  discountCodes: string[];
  noteAttributes: { name: string; value: string }[];
  landingSite: string | null;
}

export interface RefundRecord {
  id: string;
  orderId: string;
  createdAt: Date;
  amountMinor: number;
}

export class InvalidRecordError extends Error {
  override name = "InvalidRecordError";
}

/** "gid://shopify/Order/123" → "123" (kept as text: JSON numbers lose precision past 2^53). */
export function legacyId(gid: string, type?: string): string {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d+)(?:\?.*)?$/.exec(gid);
  if (!match || (type && match[1] !== type)) throw new InvalidRecordError(`Not a ${type ?? "Shopify"} GID: ${gid}`);
  return match[2]!;
}

const fractionDigitsCache = new Map<string, number>();

/** ISO 4217 minor-unit digits: 2 for USD, 0 for JPY, 3 for KWD. */
export function currencyFractionDigits(currencyCode: string): number {
  let digits = fractionDigitsCache.get(currencyCode);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      throw new InvalidRecordError(`Unknown currency ${currencyCode}`);
    }
    fractionDigitsCache.set(currencyCode, digits);
  }
  return digits;
}

/** A decimal amount ("12.50") in exact minor units (1250), without floating-point arithmetic. */
export function toMinorUnits(amount: string | number, currencyCode: string): number {
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new InvalidRecordError(`Not an amount: ${JSON.stringify(amount)}`);
  const digits = currencyFractionDigits(currencyCode);
  const [, sign, whole, fraction = ""] = match;
  const kept = fraction.slice(0, digits).padEnd(digits, "0");
  // Shopify sends amounts already at the currency's precision; round half up on anything finer.
  const roundUp = fraction.length > digits && Number(fraction[digits]) >= 5 ? 1 : 0;
  const minor = Number(whole) * 10 ** digits + Number(kept || "0") + roundUp;
  return sign === "-" ? -minor : minor;
}

/** Minor units back to a decimal string for display and exports. */
export function fromMinorUnits(minor: number, currencyCode: string): string {
  const digits = currencyFractionDigits(currencyCode);
  const sign = minor < 0 ? "-" : "";
  const absolute = Math.abs(Math.round(minor));
  if (digits === 0) return `${sign}${absolute}`;
  const text = String(absolute).padStart(digits + 1, "0");
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

const isoDate = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "not a date")
  .transform((value) => new Date(value));
const gidOf = (type: string) => z.string().transform((value, context) => {
  try {
    return legacyId(value, type);
  } catch (error) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});
const shopMoney = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });
const restMoneySet = z.object({ shop_money: z.object({ amount: z.string(), currency_code: z.string() }) });

// --- Admin GraphQL nodes (the selections in app/admin-api/sync-queries.server.ts)

export const GraphqlCustomer = z.object({
  id: gidOf("Customer"),
  createdAt: isoDate,
  updatedAt: isoDate,
  state: z.string(),
  tags: z.array(z.string()),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  defaultEmailAddress: z.object({ emailAddress: z.string().nullable(), marketingState: z.string().nullable() }).nullable(),
});

export function customerFromGraphql(node: unknown): CustomerRecord {
  const customer = GraphqlCustomer.parse(node);
  return {
    id: customer.id,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    state: customer.state,
    tags: customer.tags.join(", "),
    emailMarketingState: customer.defaultEmailAddress?.marketingState ?? null,
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.defaultEmailAddress?.emailAddress ?? null,
  };
}

export const GraphqlRefund = z.object({
  id: gidOf("Refund"),
  createdAt: isoDate,
  totalRefundedSet: shopMoney,
});

export const GraphqlOrder = z.object({
  id: gidOf("Order"),
  name: z.string(),
  createdAt: isoDate,
  processedAt: isoDate,
  updatedAt: isoDate,
  cancelledAt: isoDate.nullable(),
  displayFinancialStatus: z.string().nullable(),
  test: z.boolean(),
  subtotalPriceSet: shopMoney.nullable(),
  totalPriceSet: shopMoney,
  discountCodes: z.array(z.string()),
  customAttributes: z.array(z.object({ key: z.string(), value: z.string().nullable() })),
  customerJourneySummary: z.object({ lastVisit: z.object({ landingPage: z.string().nullable() }).nullable() }).nullable(),
  customer: z.object({ id: gidOf("Customer") }).nullable(),
  refunds: z.array(GraphqlRefund),
});

export function orderFromGraphql(node: unknown): { order: OrderRecord; refunds: RefundRecord[] } {
  const order = GraphqlOrder.parse(node);
  const currencyCode = order.totalPriceSet.shopMoney.currencyCode;
  return {
    order: {
      id: order.id,
      customerId: order.customer?.id ?? null,
      name: order.name,
      createdAt: order.createdAt,
      processedAt: order.processedAt,
      updatedAt: order.updatedAt,
      cancelledAt: order.cancelledAt,
      financialStatus: order.displayFinancialStatus ?? "PENDING",
      test: order.test,
      currencyCode,
      subtotalMinor: toMinorUnits(order.subtotalPriceSet?.shopMoney.amount ?? "0", currencyCode),
      totalMinor: toMinorUnits(order.totalPriceSet.shopMoney.amount, currencyCode),
      discountCodes: order.discountCodes,
      noteAttributes: order.customAttributes.map((attribute) => ({ name: attribute.key, value: attribute.value ?? "" })),
      landingSite: order.customerJourneySummary?.lastVisit?.landingPage ?? null,
    },
    refunds: order.refunds.map((refund) => refundRecord(refund, order.id)),
  };
}

export function refundFromGraphql(node: unknown, orderId: string): RefundRecord {
  return refundRecord(GraphqlRefund.parse(node), orderId);
}

function refundRecord(refund: z.infer<typeof GraphqlRefund>, orderId: string): RefundRecord {
  const money = refund.totalRefundedSet.shopMoney;
  return { id: refund.id, orderId, createdAt: refund.createdAt, amountMinor: toMinorUnits(money.amount, money.currencyCode) };
}

// --- REST webhook payloads (orders/*, customers/*, refunds/create)

/** The fields of an orders/* payload we read; Shopify sends many more. */
export const OrderPayload = z.object({
  admin_graphql_api_id: gidOf("Order"),
  name: z.string(),
  created_at: isoDate,
  processed_at: isoDate.nullable(),
  updated_at: isoDate,
  cancelled_at: isoDate.nullable(),
  financial_status: z.string().nullable(),
  test: z.boolean(),
  subtotal_price_set: restMoneySet.nullable(),
  total_price_set: restMoneySet,
  discount_codes: z.array(z.object({ code: z.string() })),
  note_attributes: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.null()]) })),
  landing_site: z.string().nullable(),
  customer: z.object({ admin_graphql_api_id: gidOf("Customer") }).nullable().optional(),
});

export function orderFromPayload(payload: unknown): OrderRecord {
  const order = OrderPayload.parse(payload);
  const currencyCode = order.total_price_set.shop_money.currency_code;
  return {
    id: order.admin_graphql_api_id,
    customerId: order.customer?.admin_graphql_api_id ?? null,
    name: order.name,
    createdAt: order.created_at,
    processedAt: order.processed_at ?? order.created_at,
    updatedAt: order.updated_at,
    cancelledAt: order.cancelled_at,
    // REST says "partially_refunded" where GraphQL says PARTIALLY_REFUNDED: one vocabulary is kept.
    financialStatus: (order.financial_status ?? "pending").toUpperCase(),
    test: order.test,
    currencyCode,
    subtotalMinor: toMinorUnits(order.subtotal_price_set?.shop_money.amount ?? "0", currencyCode),
    totalMinor: toMinorUnits(order.total_price_set.shop_money.amount, currencyCode),
    discountCodes: order.discount_codes.map((discount) => discount.code),
    noteAttributes: order.note_attributes.map((attribute) => ({ name: attribute.name, value: attribute.value === null ? "" : String(attribute.value) })),
    landingSite: order.landing_site,
  };
}

/** customers/create|update|delete carry the id; the rest of the customer is read from GraphQL (see process.server.ts). */
export const CustomerPayload = z.object({ admin_graphql_api_id: gidOf("Customer") });

/** refunds/create names the refund and its order; amounts in shop money are read from GraphQL. */
export const RefundPayload = z.object({ admin_graphql_api_id: gidOf("Refund"), order_id: z.union([z.number(), z.string()]) });

export const CustomersRedactPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: z.union([z.number(), z.string()]) }),
  orders_to_redact: z.array(z.union([z.number(), z.string()])),
});

export const CustomersDataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: z.union([z.number(), z.string()]) }),
  orders_requested: z.array(z.union([z.number(), z.string()])),
  data_request: z.object({ id: z.union([z.number(), z.string()]) }).optional(),
});
