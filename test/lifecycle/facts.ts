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

/** A deterministic shop: prospects, one-off and repeat buyers, refunds, cancelled and test orders, many ties. */
export function generatedShop(customers: number, seed: number, now = NOW): CustomerFacts[] {
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const statuses = ["PAID", "PAID", "PAID", "PARTIALLY_REFUNDED", "PARTIALLY_PAID", "PENDING", "REFUNDED"];
  return Array.from({ length: customers }, (_, index) => {
    const orders: OrderFacts[] = [];
    const count = Math.floor(random() * random() * 9);
    for (let n = 0; n < count; n += 1) {
      // Whole amounts in steps of 5.00 and days in steps of a week often tie.
      const totalMinor = 500 * (1 + Math.floor(random() * 30));
      const daysAgo = random() < 0.5 ? 7 * Math.floor(random() * 100) : random() * 900;
      orders.push({
        id: `o${index}-${n}`,
        at: new Date(now.getTime() - daysAgo * DAY_MS),
        totalMinor,
        refundedMinor: random() < 0.1 ? Math.floor(totalMinor * random()) : random() < 0.02 ? totalMinor : 0,
        financialStatus: statuses[Math.floor(random() * statuses.length)]!,
        cancelled: random() < 0.03,
        test: random() < 0.02,
      });
    }
    return { id: `c${String(index).padStart(6, "0")}`, orders, paidReferrals: random() < 0.05 ? 1 + Math.floor(random() * 3) : 0, markedAdvocate: random() < 0.01 };
  });
}
