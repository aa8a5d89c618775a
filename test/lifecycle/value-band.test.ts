import { describe, expect, it } from "vitest";
import { valueBands } from "~/lifecycle/value-band";

describe("valueBands", () => {
  it("makes the customers bringing the top 20 % of revenue large and the next 30 % medium", () => {
    // Total 1,000: a brings 40 %, b 25 %, c 15 %, d..h 4 % each.
    const revenue = new Map([["a", 400], ["b", 250], ["c", 150], ["d", 40], ["e", 40], ["f", 40], ["g", 40], ["h", 40]]);
    const bands = valueBands(revenue);
    expect(Object.fromEntries(bands)).toEqual({ a: "large", b: "medium", c: "small", d: "small", e: "small", f: "small", g: "small", h: "small" });
  });

  it("keeps equal revenue in the same band, and no revenue small", () => {
    const bands = valueBands(new Map([["a", 100], ["b", 100], ["c", 100], ["d", 100], ["e", 100], ["z", 0]]));
    expect(new Set([...bands].filter(([id]) => id !== "z").map(([, band]) => band))).toEqual(new Set(["large"]));
    expect(bands.get("z")).toBe("small");
  });

  it("is configurable", () => {
    const revenue = new Map([["a", 400], ["b", 250], ["c", 150], ["d", 200]]);
    expect(Object.fromEntries(valueBands(revenue, { largeShare: 0.5, mediumShare: 0.3 }))).toEqual({ a: "large", b: "large", d: "medium", c: "small" });
  });

  it("handles a one-customer store and a store without sales", () => {
    expect(Object.fromEntries(valueBands(new Map([["only", 500]])))).toEqual({ only: "large" });
    expect(Object.fromEntries(valueBands(new Map([["a", 0], ["b", 0]])))).toEqual({ a: "small", b: "small" });
  });
});
