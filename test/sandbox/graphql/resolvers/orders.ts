import type { GraphQLResolveInfo } from "graphql";
import type { SandboxLineItem, SandboxOrder, SandboxRefund, SandboxRefundLineItem } from "../../store/model";
import { discountedUnitCents, refundedCents, refundedQuantities } from "../../store/order-math";
import { toCents } from "../../store/money";
import { canReadOrder } from "../access";
import { connectionOf, listConnection, type ConnectionArgs } from "../connection";
import { unsupportedArgument } from "../errors";
import { gid } from "../gid";
import { objectResolvers, propertyResolvers, type Args, type ResolverContext } from "./context";
import { orderSearch, searchFilter } from "./search";
import { sortedList } from "./sorted-lists";
import { money, moneyFromCents, type Money } from "./values";

const SORT_VALUES: Record<string, (order: SandboxOrder) => number | string> = {
  ID: (order) => order.id,
  RELEVANCE: (order) => order.id,
  CREATED_AT: (order) => order.createdAt,
  UPDATED_AT: (order) => order.updatedAt,
  PROCESSED_AT: (order) => order.processedAt,
  ORDER_NUMBER: (order) => order.number,
  TOTAL_PRICE: (order) => toCents(order.totalPrice),
};

/**
 * Orders as a connection: readable ones only (60 days without read_all_orders), searched and
 * sorted. `all` marks the shop's whole list, whose sort orders are worth keeping between pages.
 */
export function orderConnection(
  context: ResolverContext,
  info: GraphQLResolveInfo,
  orders: readonly SandboxOrder[],
  args: Args,
  all = false,
) {
  const sortKey = (args.sortKey as string | undefined) ?? "ID";
  const sortValue = SORT_VALUES[sortKey];
  if (!sortValue) throw unsupportedArgument(info.parentType.name, info.fieldName, `sortKey ${sortKey}`);
  const idOf = (order: SandboxOrder) => order.id;
  const byId = sortKey === "ID" || sortKey === "RELEVANCE";
  const sorted = byId ? orders : all ? sortedList(context.shop, `orders:${sortKey}`, orders, sortValue, idOf) : null;
  const now = context.shop.now();
  const matches = searchFilter(context, info, args.query, orderSearch);
  const visible = (sorted ?? orders).filter((order) => canReadOrder(context.scopes, order, now) && matches(order));
  return connectionOf(visible, args as ConnectionArgs, { sortValue, idOf, presorted: sorted !== null });
}

function orderMoney(order: SandboxOrder, context: ResolverContext, cents: number): Money {
  return moneyFromCents(cents, context.shop.info.currencyCode);
}

const landingUrl = (order: SandboxOrder, context: ResolverContext): URL | null =>
  order.landingSite ? new URL(order.landingSite, `https://${context.shop.info.domain}`) : null;

/** The order's first (and, in the sandbox, only) storefront visit. */
interface Visit {
  order: SandboxOrder;
  landingPage: URL | null;
}

function refundedLineSubtotalCents(order: SandboxOrder): number {
  let total = 0;
  for (const refund of order.refunds) for (const line of refund.refundLineItems) total += toCents(line.subtotal);
  return total;
}

function itemCount(order: SandboxOrder): number {
  return order.lineItems.reduce((sum, item) => sum + item.quantity, 0);
}

interface LineItemView {
  order: SandboxOrder;
  item: SandboxLineItem;
}

interface RefundLineItemView {
  order: SandboxOrder;
  refund: SandboxRefund;
  line: SandboxRefundLineItem;
  index: number;
}

function orderAddressView(order: SandboxOrder, context: ResolverContext) {
  const customer = order.customerId === null ? undefined : context.shop.customer(order.customerId);
  const address = customer?.addresses.find((candidate) => candidate.id === customer.defaultAddressId);
  return customer && address ? { address, customer } : null;
}

function lineItemView(order: SandboxOrder, item: SandboxLineItem): LineItemView {
  return { order, item };
}

export const orderResolvers = {
  Order: objectResolvers<SandboxOrder>({
    id: (order) => gid("Order", order.id),
    legacyResourceId: (order) => String(order.id),
    name: (order) => order.name,
    number: (order) => order.number,
    email: (order) => order.email,
    phone: () => null,
    // As the webhook payloads have it: the customer's default address ships and bills.
    shippingAddress: (order, _args, context) => orderAddressView(order, context),
    billingAddress: (order, _args, context) => orderAddressView(order, context),
    note: () => null,
    createdAt: (order) => order.createdAt,
    processedAt: (order) => order.processedAt,
    updatedAt: (order) => order.updatedAt,
    cancelledAt: (order) => order.cancelledAt,
    cancelReason: (order) => order.cancelReason,
    closedAt: (order) => order.closedAt,
    closed: (order) => order.closedAt !== null,
    confirmed: () => true,
    test: (order) => order.test,
    tags: (order) => order.tags,
    sourceName: (order) => order.sourceName,
    sourceIdentifier: () => null,
    customer: (order, _args, context) => (order.customerId === null ? null : (context.shop.customer(order.customerId) ?? null)),
    customerLocale: (order, _args, context) => (order.customerId === null ? null : (context.shop.customer(order.customerId)?.locale ?? null)),
    customerAcceptsMarketing: (order, _args, context) =>
      order.customerId !== null && context.shop.customer(order.customerId)?.emailMarketingConsent.marketingState === "SUBSCRIBED",
    displayFinancialStatus: (order) => order.financialStatus,
    displayFulfillmentStatus: (order) => order.fulfillmentStatus,
    fullyPaid: (order) => ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(order.financialStatus),
    unpaid: (order) => ["PENDING", "AUTHORIZED", "EXPIRED", "VOIDED"].includes(order.financialStatus),
    currencyCode: (_order, _args, context) => context.shop.info.currencyCode,
    presentmentCurrencyCode: (_order, _args, context) => context.shop.info.currencyCode,
    taxesIncluded: () => false,
    taxExempt: () => false,
    taxLines: () => [],
    currentTaxLines: () => [],
    discountCode: (order) => order.discountCodes[0] ?? null,
    discountCodes: (order) => order.discountCodes,
    customAttributes: (order) => order.customAttributes,
    subtotalLineItemsQuantity: (order) => itemCount(order),
    currentSubtotalLineItemsQuantity: (order) => {
      let refunded = 0;
      for (const quantity of refundedQuantities(order).values()) refunded += quantity;
      return itemCount(order) - refunded;
    },
    subtotalPriceSet: (order, _args, context) => money(order.subtotalPrice, context.shop.info.currencyCode),
    totalPriceSet: (order, _args, context) => money(order.totalPrice, context.shop.info.currencyCode),
    originalTotalPriceSet: (order, _args, context) => money(order.totalPrice, context.shop.info.currencyCode),
    totalDiscountsSet: (order, _args, context) => money(order.totalDiscounts, context.shop.info.currencyCode),
    cartDiscountAmountSet: (order, _args, context) => money(order.totalDiscounts, context.shop.info.currencyCode),
    currentCartDiscountAmountSet: (order, _args, context) => money(order.totalDiscounts, context.shop.info.currencyCode),
    currentTotalDiscountsSet: (order, _args, context) => money(order.totalDiscounts, context.shop.info.currencyCode),
    totalShippingPriceSet: (order, _args, context) => money(order.totalShipping, context.shop.info.currencyCode),
    currentShippingPriceSet: (order, _args, context) => money(order.totalShipping, context.shop.info.currencyCode),
    totalTaxSet: (order, _args, context) => money(order.totalTax, context.shop.info.currencyCode),
    currentTotalTaxSet: (order, _args, context) => money(order.totalTax, context.shop.info.currencyCode),
    totalRefundedSet: (order, _args, context) => orderMoney(order, context, refundedCents(order)),
    totalRefundedShippingSet: (order, _args, context) => orderMoney(order, context, 0),
    currentSubtotalPriceSet: (order, _args, context) =>
      orderMoney(order, context, Math.max(0, toCents(order.subtotalPrice) - refundedLineSubtotalCents(order))),
    currentTotalPriceSet: (order, _args, context) =>
      orderMoney(order, context, Math.max(0, toCents(order.totalPrice) - refundedCents(order))),
    totalReceivedSet: (order, _args, context) =>
      orderMoney(order, context, ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(order.financialStatus) ? toCents(order.totalPrice) : 0),
    netPaymentSet: (order, _args, context) =>
      orderMoney(
        order,
        context,
        ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(order.financialStatus) ? toCents(order.totalPrice) - refundedCents(order) : 0,
      ),
    totalOutstandingSet: (order, _args, context) =>
      orderMoney(order, context, ["PENDING", "AUTHORIZED", "PARTIALLY_PAID"].includes(order.financialStatus) ? toCents(order.totalPrice) : 0),
    totalCapturableSet: (order, _args, context) =>
      orderMoney(order, context, order.financialStatus === "AUTHORIZED" ? toCents(order.totalPrice) : 0),
    totalTipReceivedSet: (order, _args, context) => orderMoney(order, context, 0),
    refunds: (order, args) => (typeof args.first === "number" ? order.refunds.slice(0, args.first) : order.refunds),
    lineItems: (order, args) => listConnection(order.lineItems.map((item) => lineItemView(order, item)), args as ConnectionArgs, (view) => view.item.id),
    landingPageUrl: (order, _args, context) => landingUrl(order, context)?.href ?? null,
    landingPageDisplayText: (order) => order.landingSite,
    referrerUrl: (order) => order.referringSite,
    referrerDisplayText: (order) => (order.referringSite ? new URL(order.referringSite).hostname : null),
    customerJourneySummary: (order, _args, context): Visit => ({ order, landingPage: landingUrl(order, context) }),
    metafield: () => null,
    metafields: (_order, args) => listConnection([], args as ConnectionArgs, () => 0),
  }),

  CustomerJourneySummary: objectResolvers<Visit>({
    ready: () => true,
    firstVisit: (visit) => visit,
    lastVisit: (visit) => visit,
    daysToConversion: () => 0,
    customerOrderIndex: (visit, _args, context) => {
      const { order } = visit;
      if (order.customerId === null) return 0;
      return context.shop.ordersOfCustomer(order.customerId).filter((other) => other.createdAt < order.createdAt).length;
    },
    momentsCount: () => ({ count: 1, precision: "EXACT" }),
  }),

  CustomerVisit: objectResolvers<Visit>({
    id: (visit) => gid("CustomerVisit", visit.order.id),
    occurredAt: (visit) => visit.order.createdAt,
    landingPage: (visit) => visit.landingPage?.href ?? null,
    // Shopify reads a `ref` parameter on the landing page as the visit's referral code.
    referralCode: (visit) => visit.landingPage?.searchParams.get("ref") ?? null,
    referrerUrl: (visit) => visit.order.referringSite,
    source: (visit) => (visit.order.referringSite ? new URL(visit.order.referringSite).hostname : "direct"),
    sourceDescription: () => null,
    sourceType: () => null,
    marketingEvent: () => null,
    utmParameters: (visit) => {
      const params = visit.landingPage?.searchParams;
      if (!params || ![...params.keys()].some((key) => key.startsWith("utm_"))) return null;
      return {
        source: params.get("utm_source"),
        medium: params.get("utm_medium"),
        campaign: params.get("utm_campaign"),
        content: params.get("utm_content"),
        term: params.get("utm_term"),
      };
    },
  }),

  UTMParameters: propertyResolvers<{ source: string | null; medium: string | null; campaign: string | null; content: string | null; term: string | null }>(
    "source",
    "medium",
    "campaign",
    "content",
    "term",
  ),

  LineItem: objectResolvers<LineItemView>({
    id: ({ item }) => gid("LineItem", item.id),
    title: ({ item }) => item.title,
    name: ({ item }) => item.title,
    sku: ({ item }) => item.sku,
    quantity: ({ item }) => item.quantity,
    currentQuantity: ({ order, item }) => item.quantity - (refundedQuantities(order).get(item.id) ?? 0),
    refundableQuantity: ({ order, item }) => item.quantity - (refundedQuantities(order).get(item.id) ?? 0),
    unfulfilledQuantity: ({ order, item }) => (order.fulfillmentStatus === "FULFILLED" ? 0 : item.quantity),
    variantTitle: () => null,
    vendor: () => null,
    isGiftCard: () => false,
    requiresShipping: () => true,
    taxable: () => true,
    customAttributes: () => [],
    originalUnitPriceSet: ({ item }, _args, context) => money(item.price, context.shop.info.currencyCode),
    originalTotalSet: ({ item }, _args, context) => moneyFromCents(toCents(item.price) * item.quantity, context.shop.info.currencyCode),
    discountedUnitPriceSet: ({ order, item }, _args, context) => moneyFromCents(discountedUnitCents(order, item), context.shop.info.currencyCode),
    discountedUnitPriceAfterAllDiscountsSet: ({ order, item }, _args, context) =>
      moneyFromCents(discountedUnitCents(order, item), context.shop.info.currencyCode),
    discountedTotalSet: ({ order, item }, _args, context) =>
      moneyFromCents(discountedUnitCents(order, item) * item.quantity, context.shop.info.currencyCode),
    totalDiscountSet: ({ order, item }, _args, context) =>
      moneyFromCents((toCents(item.price) - discountedUnitCents(order, item)) * item.quantity, context.shop.info.currencyCode),
  }),

  Refund: objectResolvers<SandboxRefund>({
    id: (refund) => gid("Refund", refund.id),
    legacyResourceId: (refund) => String(refund.id),
    createdAt: (refund) => refund.createdAt,
    processedAt: (refund) => refund.createdAt,
    updatedAt: (refund) => refund.createdAt,
    note: (refund) => refund.note,
    order: (refund, _args, context) => context.shop.order(refund.orderId),
    totalRefundedSet: (refund, _args, context) => money(refund.totalRefunded, context.shop.info.currencyCode),
    refundLineItems: (refund, args, context) => {
      const order = context.shop.order(refund.orderId)!;
      const views = refund.refundLineItems.map((line, index): RefundLineItemView => ({ order, refund, line, index }));
      return listConnection(views, args as ConnectionArgs, (view) => view.index);
    },
  }),

  RefundLineItem: objectResolvers<RefundLineItemView>({
    // The model keeps no id for refund lines; this one is stable per refund and position.
    id: ({ refund, index }) => gid("RefundLineItem", refund.id * 1000 + index),
    lineItem: ({ order, line }) => lineItemView(order, order.lineItems.find((item) => item.id === line.lineItemId)!),
    quantity: ({ line }) => line.quantity,
    subtotalSet: ({ line }, _args, context) => money(line.subtotal, context.shop.info.currencyCode),
    priceSet: ({ line }, _args, context) => moneyFromCents(Math.round(toCents(line.subtotal) / line.quantity), context.shop.info.currencyCode),
    totalTaxSet: (_view, _args, context) => moneyFromCents(0, context.shop.info.currencyCode),
    restockType: () => "NO_RESTOCK",
    restocked: () => false,
    location: () => null,
  }),
};
