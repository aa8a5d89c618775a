import { describe, expect, it } from "vitest";
import { nextSlot, phaseOf } from "~/jobs/spread";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date("2026-12-03T10:00:00Z");

describe("periodic work spread over its period", () => {
  it("gives 5,000 shops scheduled at the same moment slots spread evenly over the day", () => {
    const perHour = new Array<number>(24).fill(0);
    for (let index = 0; index < 5_000; index += 1) {
      const slot = nextSlot(`shop-${index}.myshopify.com:recompute`, DAY, now).getTime();
      expect(slot).toBeGreaterThanOrEqual(now.getTime() + DAY / 2);
      expect(slot).toBeLessThan(now.getTime() + DAY * 1.5);
      perHour[Math.floor((slot - now.getTime() - DAY / 2) / HOUR)]! += 1;
    }
    // 208 a hour on average; no hour gets more than half as many again, or fewer than half.
    for (const count of perHour) {
      expect(count).toBeGreaterThan(104);
      expect(count).toBeLessThan(313);
    }
  });

  it("keeps a shop's slot from one period to the next, and apart from its other jobs", () => {
    const first = nextSlot("a.myshopify.com:reconcile", HOUR, now);
    // Run at its slot, taking a minute: back at the same phase one period later.
    expect(nextSlot("a.myshopify.com:reconcile", HOUR, new Date(first.getTime() + 60_000)).getTime()).toBe(first.getTime() + HOUR);
    expect(phaseOf("a.myshopify.com:reconcile", HOUR)).toBe(phaseOf("a.myshopify.com:reconcile", HOUR));
    expect(phaseOf("a.myshopify.com:reconcile", DAY)).not.toBe(phaseOf("a.myshopify.com:loyalty-daily", DAY));
  });
});
