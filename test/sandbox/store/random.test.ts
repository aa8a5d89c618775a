import { describe, expect, it } from "vitest";
import { Random } from "./random";

const draws = (random: Random, count: number) => Array.from({ length: count }, () => random.next());

describe("Random", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    expect(draws(new Random(7), 5)).toEqual(draws(new Random(7), 5));
    expect(draws(new Random(7), 5)).not.toEqual(draws(new Random(8), 5));
    expect(draws(new Random(7).fork(1), 5)).not.toEqual(draws(new Random(7).fork(2), 5));
  });

  it("draws integers in range, weights and normal values as asked", () => {
    const random = new Random(1);
    const ints = Array.from({ length: 2_000 }, () => random.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));

    const picks = Array.from({ length: 4_000 }, () => random.weighted([["rare", 1], ["common", 3]] as const));
    const common = picks.filter((pick) => pick === "common").length / picks.length;
    expect(common).toBeGreaterThan(0.7);
    expect(common).toBeLessThan(0.8);

    const normals = Array.from({ length: 4_000 }, () => random.normal(10, 2));
    const mean = normals.reduce((sum, value) => sum + value, 0) / normals.length;
    expect(mean).toBeGreaterThan(9.8);
    expect(mean).toBeLessThan(10.2);
  });

  it("shuffles into a permutation", () => {
    const items = Array.from({ length: 20 }, (_, index) => index);
    const shuffled = new Random(3).shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(() => new Random(3).pick([])).toThrow(RangeError);
  });
});
