import { DAY_MS, type CustomerFacts, type OrderFacts } from "~/lifecycle/model";

export const NOW = new Date("2026-11-23T12:00:00Z");

/** An order `daysAgo` days before NOW: paid, 50.00, unless told otherwise. */
export function order(daysAgo: number, overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    id: `o${daysAgo}-${overrides.totalMinor ?? 5000}-${Math.random().toString(36).slice(2, 6)}`,
    at: new Date(NOW.getTime() - daysAgo * DAY_MS),
    totalMinor: 5000,
    refundedMinor: 0,
    financialStatus: "PAID",
    cancelled: false,
    test: false,
    ...overrides,
  };
}

export function customer(orders: readonly OrderFacts[], overrides: Partial<CustomerFacts> = {}): CustomerFacts {
  return { id: "c1", orders, paidReferrals: 0, markedAdvocate: false, ...overrides };
}
