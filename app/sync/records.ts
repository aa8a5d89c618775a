/**
 * The shop data we keep, as plain records, and the pure conversions into them from what Shopify
 * sends: REST webhook payloads and Admin GraphQL nodes (pages, bulk JSONL). No I/O here.
 */
import { z } from "zod";
import { InvalidRecordError } from "~/admin-api/errors";
import { legacyId } from "~/admin-api/gid";
import { toMinorUnits } from "~/money";

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

const isoDate = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "not a date")
  .transform((value) => new Date(value));
const gidOf = (type: string) =>
  z.string().transform((value, context) => {
    try {
      return legacyId(value, type);
    } catch (error) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      return z.NEVER;
    }
  });
const restMoneySet = z.object({ shop_money: z.object({ amount: z.string(), currency_code: z.string() }) });

// --- Admin GraphQL nodes (the selections in app/admin-api/bulk-operations.server.ts and the page queries)
//
// Read by hand rather than with zod: a backfill reads these by the hundred thousand, and zod's
// parse of one order cost more than SQLite's write of it. Every field is still checked against the
// selection's type, and a node that does not fit fails with the path of the first field that does not.

type JsonObject = Record<string, unknown>;

function fail(path: string, expected: string, value: unknown): never {
  throw new InvalidRecordError(`${path}: expected ${expected}, got ${value === undefined ? "nothing" : JSON.stringify(value)}`);
}

function objectAt(value: unknown, path: string): JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : fail(path, "an object", value);
}

function nullableObjectAt(value: unknown, path: string): JsonObject | null {
  return value === null ? null : objectAt(value, path);
}

function textAt(value: unknown, path: string): string {
  return typeof value === "string" ? value : fail(path, "a string", value);
}

function nullableTextAt(value: unknown, path: string): string | null {
  return value === null || typeof value === "string" ? value : fail(path, "a string or null", value);
}

function dateAt(value: unknown, path: string): Date {
  const date = new Date(textAt(value, path));
  return Number.isNaN(date.getTime()) ? fail(path, "a date", value) : date;
}

function textsAt(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) fail(path, "a list of strings", value);
  for (const item of value) if (typeof item !== "string") fail(`${path}[]`, "a string", item);
  return value as string[];
}

function gidAt(value: unknown, path: string, type: string): string {
  return legacyId(textAt(value, path), type);
}

/** A MoneyBag's shop amount in minor units of the shop's currency. */
function shopMoneyAt(value: unknown, path: string): { minor: number; currencyCode: string } {
  const shopMoney = objectAt(objectAt(value, path).shopMoney, `${path}.shopMoney`);
  const currencyCode = textAt(shopMoney.currencyCode, `${path}.shopMoney.currencyCode`);
  return { minor: toMinorUnits(textAt(shopMoney.amount, `${path}.shopMoney.amount`), currencyCode), currencyCode };
}

export function customerFromGraphql(node: unknown): CustomerRecord {
  const customer = objectAt(node, "Customer");
  const email = nullableObjectAt(customer.defaultEmailAddress, "Customer.defaultEmailAddress");
  return {
    id: gidAt(customer.id, "Customer.id", "Customer"),
    createdAt: dateAt(customer.createdAt, "Customer.createdAt"),
    updatedAt: dateAt(customer.updatedAt, "Customer.updatedAt"),
    state: textAt(customer.state, "Customer.state"),
    tags: textsAt(customer.tags, "Customer.tags").join(", "),
    emailMarketingState: email && nullableTextAt(email.marketingState, "Customer.defaultEmailAddress.marketingState"),
    firstName: nullableTextAt(customer.firstName, "Customer.firstName"),
    lastName: nullableTextAt(customer.lastName, "Customer.lastName"),
    email: email && nullableTextAt(email.emailAddress, "Customer.defaultEmailAddress.emailAddress"),
  };
}

export function orderFromGraphql(node: unknown): { order: OrderRecord; refunds: RefundRecord[] } {
  const order = objectAt(node, "Order");
  const id = gidAt(order.id, "Order.id", "Order");
  const total = shopMoneyAt(order.totalPriceSet, "Order.totalPriceSet");
  const subtotal = order.subtotalPriceSet === null ? null : shopMoneyAt(order.subtotalPriceSet, "Order.subtotalPriceSet");
  const cancelledAt = order.cancelledAt === null ? null : dateAt(order.cancelledAt, "Order.cancelledAt");
  if (typeof order.test !== "boolean") fail("Order.test", "a boolean", order.test);
  if (!Array.isArray(order.customAttributes)) fail("Order.customAttributes", "a list", order.customAttributes);
  if (!Array.isArray(order.refunds)) fail("Order.refunds", "a list", order.refunds);
  const journey = nullableObjectAt(order.customerJourneySummary, "Order.customerJourneySummary");
  const lastVisit = journey && nullableObjectAt(journey.lastVisit, "Order.customerJourneySummary.lastVisit");
  const customer = nullableObjectAt(order.customer, "Order.customer");
  return {
    order: {
      id,
      customerId: customer && gidAt(customer.id, "Order.customer.id", "Customer"),
      name: textAt(order.name, "Order.name"),
      createdAt: dateAt(order.createdAt, "Order.createdAt"),
      processedAt: dateAt(order.processedAt, "Order.processedAt"),
      updatedAt: dateAt(order.updatedAt, "Order.updatedAt"),
      cancelledAt,
      financialStatus: nullableTextAt(order.displayFinancialStatus, "Order.displayFinancialStatus") ?? "PENDING",
      test: order.test,
      currencyCode: total.currencyCode,
      subtotalMinor: subtotal?.minor ?? 0,
      totalMinor: total.minor,
      discountCodes: textsAt(order.discountCodes, "Order.discountCodes"),
      noteAttributes: order.customAttributes.map((value) => {
        const attribute = objectAt(value, "Order.customAttributes[]");
        return { name: textAt(attribute.key, "Order.customAttributes[].key"), value: nullableTextAt(attribute.value, "Order.customAttributes[].value") ?? "" };
      }),
      landingSite: lastVisit && nullableTextAt(lastVisit.landingPage, "Order.customerJourneySummary.lastVisit.landingPage"),
    },
    refunds: order.refunds.map((refund) => refundFromGraphql(refund, id)),
  };
}

export function refundFromGraphql(node: unknown, orderId: string): RefundRecord {
  const refund = objectAt(node, "Refund");
  return {
    id: gidAt(refund.id, "Refund.id", "Refund"),
    orderId,
    createdAt: dateAt(refund.createdAt, "Refund.createdAt"),
    amountMinor: shopMoneyAt(refund.totalRefundedSet, "Refund.totalRefundedSet").minor,
  };
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
  customer: z
    .object({ admin_graphql_api_id: gidOf("Customer") })
    .nullable()
    .optional(),
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

/**
 * A REST payload's numeric id, as text. Stored payloads are read with parseExactJson, which keeps
 * ids past 2^53 as their exact digits; a number that is not a safe integer was rounded on its way
 * here and names another record, so it is refused rather than used.
 */
const restId = z.union([z.string(), z.number()]).transform((value, context) => {
  if (typeof value === "string" ? /^\d+$/.test(value) : Number.isSafeInteger(value) && value >= 0) return String(value);
  const rounded = typeof value === "number" && Number.isInteger(value) && value > 0;
  context.addIssue({
    code: z.ZodIssueCode.custom,
    message: rounded ? `id ${value} is past 2^53: read as a number, it has lost its last digits` : `not an id: ${JSON.stringify(value)}`,
  });
  return z.NEVER;
});

/** refunds/create names the refund and its order; amounts in shop money are read from GraphQL. */
export const RefundPayload = z.object({ admin_graphql_api_id: gidOf("Refund"), order_id: restId });

export const CustomersRedactPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: restId }),
  orders_to_redact: z.array(restId),
});

export const CustomersDataRequestPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: restId }),
  orders_requested: z.array(restId),
  data_request: z.object({ id: restId }).optional(),
});
