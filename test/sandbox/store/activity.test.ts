import { describe, expect, it } from "vitest";
import { generateActivity } from "./activity";
import { ManualClock } from "./clock";
import { generateShopData } from "./generate";
import { SandboxShop } from "./shop";
import type { ShopChange } from "./shop-api";

const NOW = "2026-11-20T10:00:00Z";
const data = generateShopData({ seed: 11, customers: 300, now: NOW });

function freshShop() {
  const clock = new ManualClock(NOW);
  const shop = new SandboxShop(structuredClone(data), { clock: clock.now });
  const changes: ShopChange[] = [];
  shop.onChange((change) => changes.push(change));
  return { clock, shop, changes };
}

describe("generateActivity", () => {
  it("is deterministic for a seed and a shop state", () => {
    const first = freshShop();
    const second = freshShop();
    const a = generateActivity(first.shop, { seed: 5, count: 60, advance: first.clock.advance });
    const b = generateActivity(second.shop, { seed: 5, count: 60, advance: second.clock.advance });

    expect(a).toEqual(b);
    expect(first.shop.snapshot()).toEqual(second.shop.snapshot());
    const third = freshShop();
    expect(generateActivity(third.shop, { seed: 6, count: 60, advance: third.clock.advance }).events).not.toEqual(a.events);
  });

  it("does every kind of thing through the shop, moving time forward", () => {
    const { clock, shop, changes } = freshShop();
    const customersBefore = shop.customers().length;
    const summary = generateActivity(shop, { seed: 1, count: 200, advance: clock.advance, meanGapMinutes: 5 });

    expect(summary.events).toHaveLength(200);
    for (const kind of ["new_customer", "order", "payment", "refund", "cancellation", "customer_edit"] as const) {
      expect(summary.counts[kind], kind).toBeGreaterThan(0);
    }
    expect(summary.from).toBe(NOW);
    expect(new Date(summary.to).getTime()).toBeGreaterThan(new Date(NOW).getTime());
    const times = summary.events.map((event) => new Date(event.at).getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(times[0]).toBeGreaterThanOrEqual(new Date(NOW).getTime());

    expect(shop.customers().length).toBeGreaterThan(customersBefore);
    const kinds = new Set(changes.map((change) => change.kind));
    expect([...kinds]).toEqual(
      expect.arrayContaining(["customer/created", "customer/updated", "order/created", "order/paid", "order/cancelled", "refund/created"]),
    );
    const order = shop.order(summary.events.find((event) => event.kind === "order")!.orderId!);
    expect(order?.createdAt).toBe(summary.events.find((event) => event.kind === "order")!.at);
  });

  it("does only the kinds asked for, and skips what is impossible", () => {
    const { shop } = freshShop();
    const orders = generateActivity(shop, { seed: 2, count: 20, kinds: ["order"] });
    expect(orders.counts.order).toBe(20);

    const empty = SandboxShop.empty(data.info, { clock: () => new Date(NOW) });
    const nothing = generateActivity(empty, { seed: 2, count: 3, kinds: ["payment", "refund"] });
    expect(nothing).toMatchObject({ events: [], skipped: 3 });
    const fallback = generateActivity(empty, { seed: 2, count: 3, kinds: ["refund", "new_customer"] });
    expect(fallback.counts.new_customer).toBe(3);
  });
});
