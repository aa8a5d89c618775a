import type { Stage } from "./model";

/**
 * Our eight stages in the two vocabularies merchants meet elsewhere.
 *
 * Marketing funnel: awareness has no customers of its own here — visitors are not in Shopify's
 * customer list until they sign up or buy — so a lapsed customer, who must be won over from the
 * start again, is counted there.
 */
export const FUNNEL_STAGE = {
  prospect: "consideration",
  new: "purchase",
  reactivated: "purchase",
  developing: "retention",
  loyal: "retention",
  at_risk: "retention",
  advocate: "advocacy",
  lapsed: "awareness",
} as const satisfies Record<Stage, "awareness" | "consideration" | "purchase" | "retention" | "advocacy">;

/** Customer lifecycle management: where the relationship is, and what the merchant should be doing. */
export const MANAGEMENT_STAGE = {
  prospect: "acquisition",
  new: "acquisition",
  developing: "development",
  loyal: "loyalty",
  advocate: "loyalty",
  at_risk: "attrition",
  lapsed: "attrition",
  reactivated: "reactivation",
} as const satisfies Record<Stage, "acquisition" | "development" | "loyalty" | "attrition" | "reactivation">;
