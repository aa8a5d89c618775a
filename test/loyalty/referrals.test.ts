import { describe, expect, it } from "vitest";
import {
  assessReferral,
  attributedCode,
  contactKeys,
  DEFAULT_REFERRAL_RULES,
  normalizeEmail,
  normalizePhone,
  referralClawback,
  REFERRAL_ATTRIBUTE,
  type ReferralFacts,
} from "~/loyalty/referrals";

const codes = new Set(["ANNA-7K2P", "BEN-Q9XZ"]);
const isCode = (code: string) => codes.has(code);
const order = (patch: Partial<Parameters<typeof attributedCode>[0]> = {}) => ({ discountCodes: [], noteAttributes: [], landingSite: null, ...patch });

describe("attribution", () => {
  it.each([
    ["the referral discount code used at checkout", order({ discountCodes: ["anna-7k2p "] }), { code: "ANNA-7K2P", channel: "discount_code" }],
    ["the cart attribute set from the link", order({ noteAttributes: [{ name: REFERRAL_ATTRIBUTE, value: "ben-q9xz" }] }), { code: "BEN-Q9XZ", channel: "cart_attribute" }],
    ["the link on the landing page", order({ landingSite: "/products/socks?ref=ANNA-7K2P&utm_source=x" }), { code: "ANNA-7K2P", channel: "landing_site" }],
    [
      "the discount code before the attribute",
      order({ discountCodes: ["BEN-Q9XZ"], noteAttributes: [{ name: REFERRAL_ATTRIBUTE, value: "ANNA-7K2P" }] }),
      { code: "BEN-Q9XZ", channel: "discount_code" },
    ],
    ["another discount code and then the attribute", order({ discountCodes: ["SUMMER10"], noteAttributes: [{ name: REFERRAL_ATTRIBUTE, value: "ANNA-7K2P" }] }), { code: "ANNA-7K2P", channel: "cart_attribute" }],
  ])("by %s", (_name, input, expected) => {
    expect(attributedCode(input, isCode)).toEqual(expected);
  });

  it.each([
    ["no referral at all", order({ discountCodes: ["SUMMER10"] })],
    ["a code that does not exist", order({ noteAttributes: [{ name: REFERRAL_ATTRIBUTE, value: "NOPE" }], landingSite: "/?ref=FAKE" })],
    ["a landing page that is not a URL", order({ landingSite: "http://[" })],
  ])("none for %s", (_name, input) => {
    expect(attributedCode(input, isCode)).toBeNull();
  });
});

describe("contact keys", () => {
  it("match the same person written differently", () => {
    expect(normalizeEmail(" Anna.Smith+shop@GoogleMail.com")).toBe("annasmith@gmail.com");
    expect(normalizeEmail("anna.smith@example.com")).toBe("anna.smith@example.com");
    expect(normalizePhone("+48 601-234-567")).toBe(normalizePhone("601234567"));
    expect(contactKeys({ address: { address1: "12 Rue de la Paix", zip: "75002", countryCode: "fr" } })).toEqual(contactKeys({ address: { address1: "12, rue de la paix", zip: "75 002", countryCode: "FR" } }));
    expect(contactKeys({ phone: "123", address: { address1: "", zip: "1" } })).toEqual([]);
  });
});

describe("assessing a referral", () => {
  const facts = (patch: Partial<ReferralFacts> = {}): ReferralFacts => ({
    referrerId: "1",
    friendId: "2",
    referrerKeys: contactKeys({ email: "anna@example.com", phone: "+33 6 12 34 56 78", address: { address1: "1 Main St", zip: "10001", countryCode: "US" } }),
    friendKeys: contactKeys({ email: "ben@example.com", phone: "+1 212 555 0100", address: { address1: "9 Elm Rd", zip: "02139", countryCode: "US" } }),
    friendEarlierPaidOrders: 0,
    friendAlreadyReferred: false,
    orderSubtotalMinor: 6_000,
    minOrderMinor: 2_000,
    ...patch,
  });

  it("rewards a new friend with nothing in common with the referrer", () => {
    expect(assessReferral(facts())).toEqual({ decision: "reward" });
    // From the minimum on.
    expect(assessReferral(facts({ orderSubtotalMinor: 2_000 }))).toEqual({ decision: "reward" });
  });

  it.each([
    ["the referrer themselves", { friendId: "1" }, ["self_referral"]],
    ["a returning customer", { friendEarlierPaidOrders: 2 }, ["not_a_new_customer"]],
    ["a friend already referred", { friendAlreadyReferred: true }, ["already_referred"]],
    ["a guest checkout", { friendId: null }, ["guest_checkout"]],
    ["an order below the minimum", { orderSubtotalMinor: 1_999 }, ["below_minimum_order"]],
  ] as const)("rejects %s", (_name, patch, reasons) => {
    expect(assessReferral(facts(patch))).toEqual({ decision: "reject", reasons });
  });

  it.each([
    ["the same email", { email: "ANNA@example.com" }, ["same_email"]],
    ["the same phone", { phone: "06 12 34 56 78" }, ["same_phone"]],
    ["the same address", { address: { address1: "1 main st.", zip: "10001", countryCode: "us" } }, ["same_address"]],
    ["the same email and address", { email: "anna@example.com", address: { address1: "1 Main St", zip: "10001", countryCode: "US" } }, ["same_email", "same_address"]],
  ] as const)("holds a friend with %s for the merchant", (_name, contact, reasons) => {
    expect(assessReferral(facts({ friendKeys: contactKeys(contact) }))).toEqual({ decision: "hold", reasons });
  });
});

describe("taking a referral reward back", () => {
  const at = new Date("2026-11-01T00:00:00Z");
  const day = (n: number) => new Date(at.getTime() + n * 86_400_000);
  const friendOrder = (patch = {}) => ({ at, cancelledAt: null, basisMinor: 5_000, refundedMinor: 0, lastRefundAt: null, ...patch });
  it.each([
    ["a cancellation within the window", friendOrder({ cancelledAt: day(3) }), true],
    ["a full refund within the window", friendOrder({ refundedMinor: 5_000, lastRefundAt: day(29) }), true],
    ["a partial refund", friendOrder({ refundedMinor: 2_000, lastRefundAt: day(2) }), false],
    ["a full refund after the window", friendOrder({ refundedMinor: 5_000, lastRefundAt: day(31) }), false],
    ["nothing", friendOrder(), false],
  ])("%s: %s", (_name, input, expected) => {
    expect(referralClawback(input, DEFAULT_REFERRAL_RULES)).toBe(expected);
  });
});
