import { describe, expect, it } from "vitest";
import { GenerateOptionsError, generateShopData } from "./generate";
import type { SandboxOrder } from "./model";
import { toCents } from "./money";

const NOW = "2026-11-20T10:00:00Z";
const DAY = 86_400_000;
const data = generateShopData({ seed: 2026, customers: 2_000, now: NOW });
const time = (iso: string) => new Date(iso).getTime();
const ordersByCustomer = new Map<number, SandboxOrder[]>();
for (const order of data.orders) {
  if (order.customerId !== null) ordersByCustomer.set(order.customerId, [...(ordersByCustomer.get(order.customerId) ?? []), order]);
}
const buyers = data.customers.map((customer) => ordersByCustomer.get(customer.id) ?? []);
const refunded = (order: SandboxOrder) => order.refunds.reduce((sum, refund) => sum + toCents(refund.totalRefunded), 0);

describe("generateShopData", () => {
  it("is deterministic for a seed, customers and now", () => {
    const small = { customers: 300, now: NOW };
    expect(generateShopData({ seed: 1, ...small })).toEqual(generateShopData({ seed: 1, ...small }));
    expect(generateShopData({ seed: 2, ...small }).customers[0]).not.toEqual(generateShopData({ seed: 1, ...small }).customers[0]);
    expect(generateShopData({ seed: 1, customers: 300, now: "2026-11-21T10:00:00Z" }).orders.at(-1)).not.toEqual(
      generateShopData({ seed: 1, ...small }).orders.at(-1),
    );
  });

  it("records what it was generated from and names the shop", () => {
    const named = generateShopData({ seed: 3, customers: 50, now: NOW, domain: "roast.myshopify.com", name: "Roast", currencyCode: "EUR" });
    expect(named.generatedFrom).toEqual({ seed: 3, customers: 50, now: "2026-11-20T10:00:00.000Z" });
    expect(named.info).toMatchObject({ domain: "roast.myshopify.com", name: "Roast", currencyCode: "EUR" });
    expect(named.customers).toHaveLength(50);
  });

  it("refuses impossible options", () => {
    expect(() => generateShopData({ seed: 1, customers: 0, now: NOW })).toThrow(GenerateOptionsError);
    expect(() => generateShopData({ seed: 1, customers: 10, now: "yesterday" })).toThrow(GenerateOptionsError);
  });

  it("has prospects, one-time buyers, repeat buyers and regulars", () => {
    const share = (test: (count: number) => boolean) => buyers.filter((orders) => test(orders.length)).length / buyers.length;
    expect(share((count) => count === 0)).toBeGreaterThan(0.15);
    expect(share((count) => count === 1)).toBeGreaterThan(0.25);
    expect(share((count) => count >= 2 && count <= 4)).toBeGreaterThan(0.15);
    expect(share((count) => count >= 5)).toBeGreaterThan(0.08);
    expect(data.orders.length / data.customers.length).toBeGreaterThan(2.5);
    expect(data.orders.length / data.customers.length).toBeLessThan(4);
  });

  it("has lapsed buyers and buyers who came back after a long silence", () => {
    const now = time(NOW);
    const lapsed = buyers.filter((orders) => orders.length >= 2 && now - time(orders.at(-1)!.createdAt) > 300 * DAY);
    const returning = buyers.filter((orders) => {
      const gaps = orders.slice(1).map((order, index) => time(order.createdAt) - time(orders[index]!.createdAt));
      return gaps.some((gap) => gap > 240 * DAY) && now - time(orders.at(-1)!.createdAt) < 120 * DAY;
    });
    expect(lapsed.length).toBeGreaterThan(50);
    expect(returning.length).toBeGreaterThan(20);
  });

  it("spreads orders over three years before now, more of them recently", () => {
    const ages = data.orders.map((order) => (time(NOW) - time(order.createdAt)) / DAY);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThan(3 * 365 + 1);
    expect(ages.filter((age) => age < 365).length).toBeGreaterThan(ages.filter((age) => age > 2 * 365).length);
  });

  it("has full and partial refunds, cancellations, pending and test orders", () => {
    const count = (test: (order: SandboxOrder) => boolean) => data.orders.filter(test).length;
    expect(count((order) => order.financialStatus === "REFUNDED" && !order.cancelledAt)).toBeGreaterThan(20);
    expect(count((order) => order.financialStatus === "PARTIALLY_REFUNDED")).toBeGreaterThan(20);
    expect(count((order) => order.cancelledAt !== null && order.financialStatus === "REFUNDED")).toBeGreaterThan(10);
    expect(count((order) => order.financialStatus === "VOIDED")).toBeGreaterThan(5);
    expect(count((order) => order.financialStatus === "PENDING")).toBeGreaterThan(0);
    expect(count((order) => order.test)).toBeGreaterThan(0);
    expect(count((order) => order.discountCodes.length > 0)).toBeGreaterThan(data.orders.length * 0.08);
    expect(count((order) => order.customerId === null)).toBeGreaterThan(0);
  });

  it("keeps each order's money and status consistent", () => {
    const problems = data.orders.flatMap((order) => {
      const lines = order.lineItems.reduce((sum, item) => sum + toCents(item.price) * item.quantity, 0);
      const total = toCents(order.totalPrice);
      const back = refunded(order);
      const expectations: [string, boolean][] = [
        ["subtotal", toCents(order.subtotalPrice) === lines - toCents(order.totalDiscounts)],
        ["total", total === toCents(order.subtotalPrice) + toCents(order.totalShipping) + toCents(order.totalTax)],
        ["refunded at most the total", back <= total],
        ["REFUNDED means all back", order.financialStatus !== "REFUNDED" || back === total],
        ["PARTIALLY_REFUNDED means some back", order.financialStatus !== "PARTIALLY_REFUNDED" || (back > 0 && back < total)],
        ["no refunds otherwise", ["REFUNDED", "PARTIALLY_REFUNDED"].includes(order.financialStatus) || back === 0],
        ["VOIDED means cancelled", order.financialStatus !== "VOIDED" || order.cancelledAt !== null],
        ["cancelled orders unfulfilled", !order.cancelledAt || order.fulfillmentStatus === "UNFULFILLED"],
        ["refunds after the order", order.refunds.every((refund) => time(refund.createdAt) > time(order.createdAt))],
        ["updated after created", time(order.updatedAt) >= time(order.createdAt)],
      ];
      return expectations.filter(([, ok]) => !ok).map(([what]) => `${order.name}: ${what}`);
    });
    expect(problems).toEqual([]);
    expect(new Set(data.orders.map((order) => order.financialStatus))).toEqual(
      new Set(["PAID", "PENDING", "PARTIALLY_REFUNDED", "REFUNDED", "VOIDED"]),
    );
  });

  it("gives ids that ascend with creation time, and order names in creation order", () => {
    const created = [
      ...data.customers.map((customer) => [customer.id, customer.createdAt] as const),
      ...data.orders.map((order) => [order.id, order.createdAt] as const),
      ...data.orders.flatMap((order) => order.refunds.map((refund) => [refund.id, refund.createdAt] as const)),
    ].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < created.length; i++) expect(time(created[i]![1])).toBeGreaterThanOrEqual(time(created[i - 1]![1]));

    expect(data.orders.map((order) => order.name)).toEqual(data.orders.map((_, index) => `#${1001 + index}`));
    expect(data.nextOrderNumber).toBe(1001 + data.orders.length);
    const ids = [
      ...data.customers.flatMap((customer) => [customer.id, ...customer.addresses.map((address) => address.id)]),
      ...data.orders.flatMap((order) => [order.id, ...order.lineItems.map((item) => item.id), ...order.refunds.map((refund) => refund.id)]),
      ...data.discountCodes.map((discount) => discount.id),
      ...data.segments.map((segment) => segment.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(data.nextId).toBe(Math.max(...ids) + 1);
  });

  it("creates each buyer before their first order", () => {
    const customers = new Map(data.customers.map((customer) => [customer.id, customer]));
    for (const order of data.orders) {
      if (order.customerId === null) continue;
      const customer = customers.get(order.customerId)!;
      expect(time(customer.createdAt)).toBeLessThan(time(order.createdAt));
      expect(order.email).toBe(customer.email);
    }
  });

  it("gives customers unique emails and phones, addresses, consent and merchant tags", () => {
    const emails = data.customers.map((customer) => customer.email).filter((email) => email !== null);
    expect(new Set(emails.map((email) => email.toLowerCase())).size).toBe(emails.length);
    for (const email of emails) expect(email).toMatch(/^[a-z0-9._]+@((mail|inbox)\.example|example\.(com|net|org))$/);
    const phones = data.customers.map((customer) => customer.phone).filter((phone) => phone !== null);
    expect(new Set(phones).size).toBe(phones.length);

    const states = new Set(data.customers.map((customer) => customer.emailMarketingConsent.marketingState));
    expect([...states].sort()).toEqual(expect.arrayContaining(["NOT_SUBSCRIBED", "SUBSCRIBED", "UNSUBSCRIBED"]));
    const tags = new Set(data.customers.flatMap((customer) => customer.tags));
    expect([...tags]).toEqual(expect.arrayContaining(["VIP", "newsletter", "wholesale"]));
    for (const customer of data.customers) {
      if (customer.defaultAddressId !== null) expect(customer.addresses.map((address) => address.id)).toContain(customer.defaultAddressId);
    }
    expect(buyers.every((orders, index) => orders.length === 0 || data.customers[index]!.addresses.length > 0)).toBe(true);
  });
});
