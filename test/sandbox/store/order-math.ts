/**
 * Order arithmetic shared by the shop, the generator and webhook payloads, so every view of an
 * order agrees on totals, refundable amounts and financial status.
 */
import { fromCents, toCents } from "./money";
import type { FinancialStatus, SandboxLineItem, SandboxOrder } from "./model";

export interface OrderTotals {
  subtotalPrice: string;
  totalDiscounts: string;
  totalShipping: string;
  totalTax: string;
  totalPrice: string;
}

/** Line items before discounts, in cents. */
export function lineItemsTotalCents(lineItems: readonly Pick<SandboxLineItem, "price" | "quantity">[]): number {
  let total = 0;
  for (const item of lineItems) total += toCents(item.price) * item.quantity;
  return total;
}

/** Totals of a new order. Prices are tax-free in the sandbox, so totalTax is always zero. */
export function orderTotals(
  lineItems: readonly Pick<SandboxLineItem, "price" | "quantity">[],
  discountCents: number,
  shippingCents: number,
): OrderTotals {
  const subtotal = lineItemsTotalCents(lineItems) - discountCents;
  return {
    subtotalPrice: fromCents(subtotal),
    totalDiscounts: fromCents(discountCents),
    totalShipping: fromCents(shippingCents),
    totalTax: "0.00",
    totalPrice: fromCents(subtotal + shippingCents),
  };
}

/**
 * What one unit of a line item cost after its share of the order discount. The share is rounded up,
 * so refunding every unit never returns more than the discounted subtotal.
 */
export function discountedUnitCents(order: SandboxOrder, item: SandboxLineItem): number {
  const unit = toCents(item.price);
  const lineItemsTotal = lineItemsTotalCents(order.lineItems);
  if (lineItemsTotal === 0) return unit;
  return unit - Math.ceil((unit * toCents(order.totalDiscounts)) / lineItemsTotal);
}

export function refundedCents(order: SandboxOrder): number {
  let total = 0;
  for (const refund of order.refunds) total += toCents(refund.totalRefunded);
  return total;
}

/** Units of each line item already refunded, by line item id. */
export function refundedQuantities(order: SandboxOrder): Map<number, number> {
  const quantities = new Map<number, number>();
  for (const refund of order.refunds) {
    for (const line of refund.refundLineItems) {
      quantities.set(line.lineItemId, (quantities.get(line.lineItemId) ?? 0) + line.quantity);
    }
  }
  return quantities;
}

/** Money received and not yet returned: what a refund may still give back. */
export function refundableCents(order: SandboxOrder): number {
  return isPaid(order.financialStatus) ? toCents(order.totalPrice) - refundedCents(order) : 0;
}

/** Whether money was captured for the order (so it can be refunded). */
export function isPaid(status: FinancialStatus): boolean {
  return status === "PAID" || status === "PARTIALLY_REFUNDED" || status === "PARTIALLY_PAID";
}

/** The status after refunds: everything returned → REFUNDED, something returned → PARTIALLY_REFUNDED. */
export function statusAfterRefunds(order: SandboxOrder): FinancialStatus {
  const refunded = refundedCents(order);
  if (refunded <= 0) return order.financialStatus;
  return refunded >= toCents(order.totalPrice) ? "REFUNDED" : "PARTIALLY_REFUNDED";
}
