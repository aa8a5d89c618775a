import { describe, expect, it } from "vitest";
import { lifecycleTags, splitTags, tagChanges } from "~/lifecycle/tags";

const prefixes = ["lifecycle:", "rfm:", "value:"];

describe("lifecycle tags", () => {
  it("names stage, RFM group and value band with their prefixes", () => {
    expect(lifecycleTags({ stage: "at_risk", rfmGroup: "PREVIOUSLY_LOYAL", valueBand: "large" }, { stagePrefix: "lifecycle:", rfmPrefix: "rfm:", valuePrefix: "value:" })).toEqual([
      "lifecycle:at_risk",
      "rfm:previously_loyal",
      "value:large",
    ]);
  });

  it.each([
    ["a customer without our tags gets them all", ["vip"], ["lifecycle:new", "rfm:new", "value:small"], ["lifecycle:new", "rfm:new", "value:small"], []],
    ["only the stale one of ours goes", ["vip", "lifecycle:new", "rfm:new", "value:small"], ["lifecycle:developing", "rfm:new", "value:small"], ["lifecycle:developing"], ["lifecycle:new"]],
    ["nothing to do when in step", ["lifecycle:loyal", "wholesale"], ["lifecycle:loyal"], [], []],
    ["the merchant's look-alike tags stay", ["lifecycles", "rfm", "value-pack", "lifecycle:lapsed"], ["lifecycle:loyal"], ["lifecycle:loyal"], ["lifecycle:lapsed"]],
    ["case does not matter, as in Shopify", ["Lifecycle:Loyal"], ["lifecycle:loyal"], [], []],
  ])("%s", (_name, current, desired, add, remove) => {
    expect(tagChanges(current, desired, prefixes)).toEqual({ add, remove });
  });

  it("reads Shopify's comma-separated list", () => {
    expect(splitTags("vip, lifecycle:new ,  , rfm:new")).toEqual(["vip", "lifecycle:new", "rfm:new"]);
    expect(splitTags("")).toEqual([]);
  });
});
