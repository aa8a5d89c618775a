import { describe, expect, it } from "vitest";
import { quintileScores, RFM_GROUPS, rfmGroup, scoreRfm } from "~/lifecycle/rfm";

describe("quintileScores", () => {
  it("splits distinct values into five equal groups, higher is better", () => {
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("gives tied values the same score, whatever order they come in", () => {
    const values = [1, 1, 1, 1, 1, 1, 1, 2, 3, 9];
    const scores = quintileScores(values);
    expect(new Set(scores.slice(0, 7))).toEqual(new Set([2]));
    expect(scores.slice(7)).toEqual([4, 5, 5]);
    const reversed = quintileScores([...values].reverse());
    expect(reversed).toEqual([...scores].reverse());
  });

  it("handles stores with few customers: one in the middle, two apart, all equal in the middle", () => {
    expect(quintileScores([42])).toEqual([3]);
    expect(quintileScores([1, 2])).toEqual([2, 4]);
    expect(quintileScores([7, 7, 7])).toEqual([3, 3, 3]);
    expect(quintileScores([])).toEqual([]);
  });
});

describe("rfmGroup", () => {
  it.each([
    [5, 5, 5, "CHAMPIONS"],
    [5, 4, 4, "CHAMPIONS"],
    [5, 3, 3, "ACTIVE"],
    [5, 1, 1, "NEW"],
    [4, 5, 4, "LOYAL"],
    [4, 3, 2, "ACTIVE"],
    [4, 1, 2, "PROMISING"],
    [3, 4, 4, "LOYAL"],
    [3, 3, 3, "NEEDS_ATTENTION"],
    [3, 1, 1, "NEEDS_ATTENTION"],
    [2, 5, 5, "PREVIOUSLY_LOYAL"],
    [1, 5, 5, "PREVIOUSLY_LOYAL"],
    [2, 4, 3, "AT_RISK"],
    [1, 3, 3, "AT_RISK"],
    [2, 1, 2, "ALMOST_LOST"],
    [1, 1, 1, "DORMANT"],
  ] as const)("R%i F%i M%i → %s", (recency, frequency, monetary, group) => {
    expect(rfmGroup(recency, frequency, monetary)).toBe(group);
  });

  it("reaches every group but PROSPECTS from scores, and PROSPECTS only without orders", () => {
    const reached = new Set<string>();
    for (let r = 1; r <= 5; r += 1) for (let f = 1; f <= 5; f += 1) for (let m = 1; m <= 5; m += 1) reached.add(rfmGroup(r, f, m));
    expect([...reached].sort()).toEqual(RFM_GROUPS.filter((group) => group !== "PROSPECTS").sort());
  });
});

describe("scoreRfm", () => {
  it("scores buyers against each other and leaves prospects out of the quintiles", () => {
    const scores = scoreRfm([
      { id: "recent-big", daysSinceLastPurchase: 2, purchases: 9, netRevenueMinor: 90_000 },
      { id: "old-small", daysSinceLastPurchase: 400, purchases: 1, netRevenueMinor: 1_000 },
      { id: "prospect", daysSinceLastPurchase: null, purchases: 0, netRevenueMinor: 0 },
    ]);
    expect(scores.get("recent-big")).toEqual({ recency: 4, frequency: 4, monetary: 4, group: "LOYAL" });
    expect(scores.get("old-small")).toEqual({ recency: 2, frequency: 2, monetary: 2, group: "ALMOST_LOST" });
    expect(scores.get("prospect")).toEqual({ group: "PROSPECTS" });
  });

  it("in a one-customer store puts the customer in the middle", () => {
    expect(scoreRfm([{ id: "only", daysSinceLastPurchase: 10, purchases: 2, netRevenueMinor: 5_000 }]).get("only")).toEqual({
      recency: 3,
      frequency: 3,
      monetary: 3,
      group: "NEEDS_ATTENTION",
    });
  });
});
