/**
 * Referral rules: which order a referral is attributed to, whether it earns the referrer a reward,
 * and when a reward is taken back. Plain data in and out (a test checks the imports).
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The cart attribute the storefront embed sets from `?ref=` (it survives to the order as a note attribute). */
export const REFERRAL_ATTRIBUTE = "_lifecycle_ref";

export interface ReferralRules {
  /** Points the referrer earns when the friend's first order is paid. */
  referrerPoints: number;
  /** Days after the friend's order during which a refund or cancellation takes the reward back. */
  returnWindowDays: number;
  /** The friend's order pays the referrer only from this subtotal (minor units): no reward for a token purchase. */
  minOrderMinor: number;
}

export const DEFAULT_REFERRAL_RULES: ReferralRules = { referrerPoints: 500, returnWindowDays: 30, minOrderMinor: 2000 };

export interface OrderAttributionFacts {
  discountCodes: readonly string[];
  noteAttributes: readonly { name: string; value: string }[];
  landingSite: string | null;
}

export type AttributionChannel = "discount_code" | "cart_attribute" | "landing_site";

/** Referral codes as customers type them: case and surrounding spaces do not matter. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * The referral code an order came with, if any: the referral discount code used at checkout first
 * (the strongest evidence), then the cart attribute set from the link, then the link itself on the
 * landing page. Only codes that exist count.
 */
export function attributedCode(order: OrderAttributionFacts, isReferralCode: (code: string) => boolean): { code: string; channel: AttributionChannel } | null {
  for (const used of order.discountCodes) {
    const code = normalizeCode(used);
    if (isReferralCode(code)) return { code, channel: "discount_code" };
  }
  const attribute = order.noteAttributes.find((entry) => entry.name === REFERRAL_ATTRIBUTE);
  if (attribute && isReferralCode(normalizeCode(attribute.value))) return { code: normalizeCode(attribute.value), channel: "cart_attribute" };
  const ref = order.landingSite ? refParameter(order.landingSite) : null;
  if (ref && isReferralCode(normalizeCode(ref))) return { code: normalizeCode(ref), channel: "landing_site" };
  return null;
}

function refParameter(landingSite: string): string | null {
  try {
    return new URL(landingSite, "https://storefront.invalid").searchParams.get("ref");
  } catch {
    return null;
  }
}

/** Contact details reduced to comparable forms (never stored as such; the store keeps digests of these). */
export interface Contact {
  email?: string | null;
  phone?: string | null;
  address?: { address1?: string | null; zip?: string | null; countryCode?: string | null } | null;
}

/** Gmail ignores dots and anything after "+": one inbox, one person. */
export function normalizeEmail(email: string): string {
  const [local = "", domain = ""] = email.trim().toLowerCase().split("@");
  const base = local.split("+")[0]!;
  return `${["gmail.com", "googlemail.com"].includes(domain) ? base.replaceAll(".", "") : base}@${domain === "googlemail.com" ? "gmail.com" : domain}`;
}

/** The last nine digits: the same number written with or without a country code or spaces. */
export function normalizePhone(phone: string): string {
  return phone.replace(/\D/g, "").slice(-9);
}

export function normalizeAddress(address: NonNullable<Contact["address"]>): string | null {
  const street = (address.address1 ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");
  const zip = (address.zip ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");
  if (!street || !zip) return null;
  return `${(address.countryCode ?? "").toUpperCase()}|${zip}|${street}`;
}

/** The comparable forms of a contact, each tagged with what it is. */
export function contactKeys(contact: Contact): string[] {
  const keys: string[] = [];
  if (contact.email) keys.push(`email:${normalizeEmail(contact.email)}`);
  if (contact.phone && normalizePhone(contact.phone).length >= 6) keys.push(`phone:${normalizePhone(contact.phone)}`);
  const address = contact.address ? normalizeAddress(contact.address) : null;
  if (address) keys.push(`address:${address}`);
  return keys;
}

export interface ReferralFacts {
  referrerId: string;
  friendId: string | null;
  /** The referrer's and the friend's contact keys ("email:…", "phone:…", "address:…"; the part after the colon may be a digest, the same on both sides). */
  referrerKeys: readonly string[];
  friendKeys: readonly string[];
  /** The friend's paid orders before this one: a referral brings a new customer. */
  friendEarlierPaidOrders: number;
  /** A reward for this friend already exists (or is held): one reward per friend. */
  friendAlreadyReferred: boolean;
  /** The friend's order subtotal (after discounts, minor units), against the programme's minimum. */
  orderSubtotalMinor: number;
  minOrderMinor: number;
}

export type ReferralReason =
  | "self_referral"
  | "not_a_new_customer"
  | "already_referred"
  | "guest_checkout"
  | "below_minimum_order"
  | "same_email"
  | "same_phone"
  | "same_address";

export type ReferralVerdict = { decision: "reward" } | { decision: "hold" | "reject"; reasons: ReferralReason[] };

/**
 * Whether a referral earns its reward: refused outright when it cannot be one (the referrer
 * themselves, a returning customer, a friend already referred, an order below the minimum); held
 * for the merchant when the two share an email, phone or address (likely the same person, possibly
 * a household).
 */
export function assessReferral(facts: ReferralFacts): ReferralVerdict {
  const refused: ReferralReason[] = [];
  if (facts.friendId === null) refused.push("guest_checkout");
  if (facts.friendId === facts.referrerId) refused.push("self_referral");
  if (facts.friendEarlierPaidOrders > 0) refused.push("not_a_new_customer");
  if (facts.friendAlreadyReferred) refused.push("already_referred");
  if (facts.orderSubtotalMinor < facts.minOrderMinor) refused.push("below_minimum_order");
  if (refused.length) return { decision: "reject", reasons: refused };

  const referrer = new Set(facts.referrerKeys);
  const shared = facts.friendKeys.filter((key) => referrer.has(key));
  const suspicious = (["email", "phone", "address"] as const).filter((kind) => shared.some((key) => key.startsWith(`${kind}:`))).map((kind) => `same_${kind}` as const);
  if (suspicious.length) return { decision: "hold", reasons: suspicious };
  return { decision: "reward" };
}

/**
 * Whether a referral reward is taken back: the friend's order cancelled or refunded in full within
 * the return window. (A partial refund keeps it: the friend still bought.)
 */
export function referralClawback(order: { at: Date; cancelledAt: Date | null; basisMinor: number; refundedMinor: number; lastRefundAt: Date | null }, rules: ReferralRules): boolean {
  const windowEnd = order.at.getTime() + rules.returnWindowDays * DAY_MS;
  if (order.cancelledAt && order.cancelledAt.getTime() <= windowEnd) return true;
  return order.basisMinor > 0 && order.refundedMinor >= order.basisMinor && order.lastRefundAt !== null && order.lastRefundAt.getTime() <= windowEnd;
}
