import { describe, expect, it } from "vitest";
import { lifecycleTags, ownTags, splitTags, tagChanges } from "~/lifecycle/tags";

describe("lifecycle tags", () => {
  it("names stage, RFM group and value band with their prefixes", () => {
    expect(lifecycleTags({ stage: "at_risk", rfmGroup: "PREVIOUSLY_LOYAL", valueBand: "large" }, { stagePrefix: "lifecycle:", rfmPrefix: "rfm:", valuePrefix: "value:" })).toEqual([
      "lifecycle:at_risk",
      "rfm:previously_loyal",
      "value:large",
    ]);
  });

  it.each([
    ["a customer without our tags gets them all", ["vip"], ["lifecycle:new", "rfm:new", "value:small"], [], ["lifecycle:new", "rfm:new", "value:small"], []],
    [
      "only the stale one of ours goes",
      ["vip", "lifecycle:new", "rfm:new", "value:small"],
      ["lifecycle:developing", "rfm:new", "value:small"],
      ["lifecycle:new", "rfm:new", "value:small"],
      ["lifecycle:developing"],
      ["lifecycle:new"],
    ],
    ["nothing to do when in step", ["lifecycle:loyal", "wholesale"], ["lifecycle:loyal"], ["lifecycle:loyal"], [], []],
    [
      "the merchant's look-alike tags stay",
      ["lifecycles", "rfm", "value-pack", "lifecycle:lapsed"],
      ["lifecycle:loyal"],
      ["lifecycle:lapsed"],
      ["lifecycle:loyal"],
      ["lifecycle:lapsed"],
    ],
    ["case does not matter, as in Shopify", ["Lifecycle:Loyal"], ["lifecycle:loyal"], [], [], []],
    // The prefix was vip- and is lifecycle: again: only vip-new was ours.
    ["a merchant's tag under a prefix we used stays", ["vip-gold", "vip-new"], ["lifecycle:new"], ["vip-new"], ["lifecycle:new"], ["vip-new"]],
    ["a tag of ours the merchant had already is not ours to remove", ["lifecycle:lapsed"], ["lifecycle:loyal"], [], ["lifecycle:loyal"], []],
  ])("%s", (_name, current, desired, ours, add, remove) => {
    expect(tagChanges(current, desired, ours)).toEqual({ add, remove });
  });

  it("knows which tags are ours after a write: those written or just added that Shopify holds, in its spelling", () => {
    expect(ownTags(["vip-gold", "Lifecycle:New", "rfm:new"], ["lifecycle:new", "rfm:new", "value:small", "vip-new"])).toEqual(["Lifecycle:New", "rfm:new"]);
  });

  it("reads Shopify's comma-separated list", () => {
    expect(splitTags("vip, lifecycle:new ,  , rfm:new")).toEqual(["vip", "lifecycle:new", "rfm:new"]);
    expect(splitTags("")).toEqual([]);
  });
});
