/**
 * The lifecycle domain: plain data in, plain data out. Nothing here may import Shopify, Prisma or
 * the network (a test checks), so every rule is tested as a table without mocks.
 */

export const STAGES = ["prospect", "new", "developing", "loyal", "advocate", "at_risk", "lapsed", "reactivated"] as const;
export type Stage = (typeof STAGES)[number];

export const DAY_MS = 24 * 60 * 60 * 1000;

/** One order as the lifecycle sees it. Amounts are minor units of the shop currency. */
export interface OrderFacts {
  id: string;
  /** When the customer bought (Shopify's processedAt). */
  at: Date;
  totalMinor: number;
  refundedMinor: number;
  financialStatus: string;
  cancelled: boolean;
  test: boolean;
}

export interface CustomerFacts {
  id: string;
  orders: readonly OrderFacts[];
  /** Friends this customer referred whose first order was paid (the loyalty issue fills this in). */
  paidReferrals: number;
  /** The merchant marked the customer as an advocate. */
  markedAdvocate: boolean;
}

/** The shop's rhythm and thresholds, from its own data unless the merchant overrode them. */
export interface StageSettings {
  /** Typical days between two orders of the same customer in this shop. */
  repurchaseIntervalDays: number;
  /** Silence (days since the last order) beyond which any buyer is lapsed. */
  lapseAfterDays: number;
  /** A repeat buyer is at risk once silent for this many times their own usual interval. */
  atRiskMultiple: number;
  /** Orders needed to be loyal (at the shop's rhythm). */
  loyalMinOrders: number;
}

export const DEFAULT_STAGE_SETTINGS: StageSettings = {
  repurchaseIntervalDays: 60,
  lapseAfterDays: 180,
  atRiskMultiple: 2,
  loyalMinOrders: 3,
};

/** A reason a merchant can read: a message key with its values, rendered in the admin's language. */
export interface Reason {
  key: string;
  values: Record<string, string | number>;
}
