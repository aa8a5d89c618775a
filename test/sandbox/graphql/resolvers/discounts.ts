import type { SandboxDiscountCode } from "../../store/model";
import type { SandboxShopApi } from "../../store/shop-api";
import { listConnection, type ConnectionArgs } from "../connection";
import { gid } from "../gid";
import { objectResolvers, typed, type ResolverContext } from "./context";
import { decimal, money } from "./values";

/** DiscountCodeBasic is a view of the code discount: DiscountCodeNode and it share one record. */
interface BasicView {
  discount: SandboxDiscountCode;
}

function basicView(discount: SandboxDiscountCode): BasicView {
  return typed("DiscountCodeBasic", { discount });
}

function usageCount(shop: SandboxShopApi, discount: SandboxDiscountCode): number {
  const code = discount.code.toLowerCase();
  let count = 0;
  for (const order of shop.orders()) {
    if (order.cancelledAt === null && order.discountCodes.some((used) => used.toLowerCase() === code)) count += 1;
  }
  return count;
}

function status(discount: SandboxDiscountCode, now: Date): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  if (Date.parse(discount.startsAt) > now.getTime()) return "SCHEDULED";
  if (discount.endsAt !== null && Date.parse(discount.endsAt) <= now.getTime()) return "EXPIRED";
  return "ACTIVE";
}

function summaryParts(discount: SandboxDiscountCode, context: ResolverContext): string[] {
  const value =
    "percentage" in discount.value
      ? `${Math.round(discount.value.percentage * 10000) / 100}% off entire order`
      : `${decimal(discount.value.amount)} ${context.shop.info.currencyCode} off entire order`;
  const parts = [value];
  const customers = discount.customerIds.length;
  if (customers > 0) parts.push(`For ${customers} customer${customers === 1 ? "" : "s"}`);
  if (discount.usageLimit !== null) parts.push(`Limit of ${discount.usageLimit} use${discount.usageLimit === 1 ? "" : "s"}`);
  if (discount.appliesOncePerCustomer) parts.push("One use per customer");
  return parts;
}

/** Who may use the code: everyone, the listed customers (that still exist), or the members of segments. */
function buyers(discount: SandboxDiscountCode, context: ResolverContext, everyone: object) {
  if (discount.segmentIds.length > 0)
    return typed("DiscountCustomerSegments", { segments: discount.segmentIds.flatMap((id) => context.shop.segment(id) ?? []) });
  if (discount.customerIds.length === 0) return everyone;
  const customers = discount.customerIds.flatMap((id) => context.shop.customer(id) ?? []);
  return typed("DiscountCustomers", { customers });
}

export const discountResolvers = {
  DiscountCodeNode: objectResolvers<SandboxDiscountCode>({
    id: (discount) => gid("DiscountCodeNode", discount.id),
    codeDiscount: (discount) => basicView(discount),
  }),
  DiscountCodeBasic: objectResolvers<BasicView>({
    title: ({ discount }) => discount.title,
    status: ({ discount }, _args, context) => status(discount, context.shop.now()),
    startsAt: ({ discount }) => discount.startsAt,
    endsAt: ({ discount }) => discount.endsAt,
    createdAt: ({ discount }) => discount.createdAt,
    updatedAt: ({ discount }) => discount.createdAt,
    usageLimit: ({ discount }) => discount.usageLimit,
    appliesOncePerCustomer: ({ discount }) => discount.appliesOncePerCustomer,
    asyncUsageCount: ({ discount }, _args, context) => usageCount(context.shop, discount),
    summary: ({ discount }, _args, context) => summaryParts(discount, context).join(" • "),
    shortSummary: ({ discount }, _args, context) => summaryParts(discount, context)[0],
    discountClasses: () => ["ORDER"],
    hasTimelineComment: () => false,
    tags: () => [],
    shareableUrls: () => [],
    recurringCycleLimit: () => null,
    minimumRequirement: () => null,
    combinesWith: () => ({ orderDiscounts: false, productDiscounts: false, shippingDiscounts: false, productDiscountsWithTagsOnSameCartLine: null }),
    codes: ({ discount }, args) => listConnection([discount], args as ConnectionArgs, (code) => code.id),
    codesCount: () => ({ count: 1, precision: "EXACT" }),
    customerGets: ({ discount }) => discount,
    context: ({ discount }, _args, context) => buyers(discount, context, typed("DiscountBuyerSelectionAll", { all: "ALL" })),
    customerSelection: ({ discount }, _args, context) => buyers(discount, context, typed("DiscountCustomerAll", { allCustomers: true })),
  }),
  DiscountRedeemCode: objectResolvers<SandboxDiscountCode>({
    id: (discount) => gid("DiscountRedeemCode", discount.id),
    code: (discount) => discount.code,
    asyncUsageCount: (discount, _args, context) => usageCount(context.shop, discount),
    createdBy: () => null,
  }),
  DiscountCustomerGets: objectResolvers<SandboxDiscountCode>({
    value: (discount, _args, context) =>
      "percentage" in discount.value
        ? typed("DiscountPercentage", { percentage: discount.value.percentage })
        : typed("DiscountAmount", { amount: money(discount.value.amount, context.shop.info.currencyCode), appliesOnEachItem: false }),
    items: () => typed("AllDiscountItems", { allItems: true }),
    appliesOnOneTimePurchase: () => true,
    appliesOnSubscription: () => false,
  }),
  DiscountPercentage: objectResolvers<{ percentage: number }>({ percentage: (value) => value.percentage }),
  DiscountAmount: objectResolvers<{ amount: unknown; appliesOnEachItem: boolean }>({
    amount: (value) => value.amount,
    appliesOnEachItem: (value) => value.appliesOnEachItem,
  }),
  AllDiscountItems: objectResolvers<{ allItems: boolean }>({ allItems: (value) => value.allItems }),
  DiscountBuyerSelectionAll: objectResolvers<{ all: string }>({ all: (value) => value.all }),
  DiscountCustomerAll: objectResolvers<{ allCustomers: boolean }>({ allCustomers: (value) => value.allCustomers }),
  DiscountCustomers: objectResolvers<{ customers: unknown[] }>({ customers: (value) => value.customers }),
  DiscountCustomerSegments: objectResolvers<{ segments: unknown[] }>({ segments: (value) => value.segments }),
  DiscountCombinesWith: objectResolvers<Record<string, unknown>>({
    orderDiscounts: (value) => value.orderDiscounts,
    productDiscounts: (value) => value.productDiscounts,
    shippingDiscounts: (value) => value.shippingDiscounts,
    productDiscountsWithTagsOnSameCartLine: (value) => value.productDiscountsWithTagsOnSameCartLine,
  }),
};
