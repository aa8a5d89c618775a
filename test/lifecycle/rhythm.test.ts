import { describe, expect, it } from "vitest";
import { DEFAULT_STAGE_SETTINGS } from "~/lifecycle/model";
import { MIN_GAPS_FOR_SHOP_RHYTHM, shopRhythm, stageSettings } from "~/lifecycle/rhythm";
import { order } from "./facts";

describe("shopRhythm", () => {
  it("learns the usual repurchase interval and the lapse threshold from the store's own orders", () => {
    // 30 customers coming back every 20 days, 10 who took 100 days.
    const regulars = Array.from({ length: 30 }, () => [order(60), order(40), order(20)]);
    const slow = Array.from({ length: 10 }, () => [order(150), order(50)]);
    const rhythm = shopRhythm([...regulars, ...slow]);
    expect(rhythm).toMatchObject({ repurchaseIntervalDays: 20, lapseAfterDays: 100, gapsSeen: 70 });
    expect(rhythm.explanation).toEqual({ key: "lifecycle.rhythm.fromStore", values: { gaps: 70, interval: 20, lapse: 100 } });
  });

  it("never puts the lapse threshold under twice the usual interval", () => {
    const rhythm = shopRhythm(Array.from({ length: 30 }, () => [order(60), order(30)]));
    expect(rhythm).toMatchObject({ repurchaseIntervalDays: 30, lapseAfterDays: 60 });
  });

  it("uses the defaults, and says why, when the store has too few repeat purchases to tell", () => {
    const rhythm = shopRhythm([[order(10)], [order(40), order(20)]]);
    expect(rhythm).toMatchObject({ repurchaseIntervalDays: DEFAULT_STAGE_SETTINGS.repurchaseIntervalDays, lapseAfterDays: DEFAULT_STAGE_SETTINGS.lapseAfterDays });
    expect(rhythm.explanation).toMatchObject({ key: "lifecycle.rhythm.defaults", values: { gaps: 1, needed: MIN_GAPS_FOR_SHOP_RHYTHM } });
    expect(shopRhythm([]).gapsSeen).toBe(0);
  });

  it("lets the merchant's settings override what the store suggests", () => {
    const rhythm = shopRhythm(Array.from({ length: 30 }, () => [order(60), order(30)]));
    expect(stageSettings(rhythm, { lapseAfterDays: 365 })).toMatchObject({ repurchaseIntervalDays: 30, lapseAfterDays: 365, atRiskMultiple: 2 });
  });
});
