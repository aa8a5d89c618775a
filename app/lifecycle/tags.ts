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

// Shopify compares tags without case, so do we.
const tagKey = (tag: string) => tag.trim().toLowerCase();

/**
 * What to add and remove so the customer carries `desired` among our tags. Only tags we wrote
 * (`ours`, as Shopify confirmed them) are ever removed: a merchant's tag stays whatever it looks
 * like, even one under our prefix or equal to one of ours that we did not write.
 */
export function tagChanges(current: readonly string[], desired: readonly string[], ours: readonly string[]): { add: string[]; remove: string[] } {
  const have = new Set(current.map(tagKey));
  const want = new Set(desired.map(tagKey));
  const written = new Set(ours.map(tagKey));
  return {
    add: desired.filter((tag) => !have.has(tagKey(tag))),
    remove: current.filter((tag) => written.has(tagKey(tag)) && !want.has(tagKey(tag))),
  };
}

/** Which of the customer's `tags` are ours: those among `ours` (written before, or just added), in Shopify's spelling. */
export function ownTags(tags: readonly string[], ours: readonly string[]): string[] {
  const written = new Set(ours.map(tagKey));
  return tags.filter((tag) => written.has(tagKey(tag)));
}

/** Shopify's tag list ("a, b, c") as tags. */
export function splitTags(tags: string): string[] {
  return tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}
