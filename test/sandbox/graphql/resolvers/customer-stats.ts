import type { SandboxShopApi } from "../../store/shop-api";
import type { SandboxOrder } from "../../store/model";
import { refundedCents } from "../../store/order-math";
import { toCents } from "../../store/money";

const SPENT_STATUSES = new Set(["PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

/** What a customer paid on one order, net of refunds (Shopify's amountSpent adds these up). */
function spentCents(order: SandboxOrder): number {
  if (order.test || !SPENT_STATUSES.has(order.financialStatus)) return 0;
  return Math.max(0, toCents(order.totalPrice) - refundedCents(order));
}

export function amountSpentCents(shop: SandboxShopApi, customerId: number): number {
  let total = 0;
  for (const order of shop.ordersOfCustomer(customerId)) total += spentCents(order);
  return total;
}

export function numberOfOrders(shop: SandboxShopApi, customerId: number): number {
  return shop.ordersOfCustomer(customerId).length;
}

export function lastOrderOf(shop: SandboxShopApi, customerId: number): SandboxOrder | undefined {
  let last: SandboxOrder | undefined;
  for (const order of shop.ordersOfCustomer(customerId)) {
    if (!last || order.createdAt > last.createdAt || (order.createdAt === last.createdAt && order.id > last.id)) last = order;
  }
  return last;
}
