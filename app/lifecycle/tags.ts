import type { Stage } from "./model";
import type { RfmGroup } from "./rfm";
import type { ValueBand } from "./value-band";

export interface TagSettings {
  stagePrefix: string;
  rfmPrefix: string;
  valuePrefix: string;
}

/** Our tags for a customer: "lifecycle:at_risk", "rfm:champions", "value:large" with the default prefixes. */
export function lifecycleTags(values: { stage: Stage | string; rfmGroup: RfmGroup | string; valueBand: ValueBand | string }, settings: TagSettings): string[] {
  return [`${settings.stagePrefix}${values.stage}`, `${settings.rfmPrefix}${values.rfmGroup.toLowerCase()}`, `${settings.valuePrefix}${values.valueBand}`];
}

/**
 * What to add and remove so the customer carries exactly `desired` among our tags. Only tags with
 * one of our prefixes are ever removed; the merchant's other tags are never touched. Shopify
 * compares tags without case, so do we.
 */
export function tagChanges(current: readonly string[], desired: readonly string[], prefixes: readonly string[]): { add: string[]; remove: string[] } {
  const lower = (tag: string) => tag.trim().toLowerCase();
  const ours = (tag: string) => prefixes.some((prefix) => prefix !== "" && lower(tag).startsWith(lower(prefix)));
  const have = new Set(current.map(lower));
  const want = new Set(desired.map(lower));
  return {
    add: desired.filter((tag) => !have.has(lower(tag))),
    remove: current.filter((tag) => ours(tag) && !want.has(lower(tag))),
  };
}

/** Shopify's tag list ("a, b, c") as tags. */
export function splitTags(tags: string): string[] {
  return tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}
