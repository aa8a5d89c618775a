/**
 * Every distribution knob of the generated shop, in one place. Shares are probabilities (0–1),
 * weights are relative, durations are days. Tune here; generate.ts only reads these.
 *
 * With these values a shop averages about 3 orders per customer (≈300,000 orders at 100,000
 * customers), in line with a healthy repeat-purchase store.
 */
export const GENERATION_PROFILE = {
  /** How far back the shop's history goes from `now`. */
  historyDays: 3 * 365,
  /** > 1 means more customers joined recently (the shop grew); 1 is a flat history. */
  growth: 1.6,

  /** What kind of buyer each customer is. */
  personas: {
    /** Signed up (newsletter, account) but never ordered. */
    prospect: 0.27,
    /** Exactly one order. */
    oneTime: 0.37,
    /** Two to four orders. */
    few: 0.22,
    /** Many orders at a personal rhythm. */
    regular: 0.14,
  },
  few: { minOrders: 2, maxOrders: 4, meanGapDays: 80, minGapDays: 2 },
  regular: {
    /** Each regular has their own typical gap, log-normal around this median. */
    medianGapDays: 32,
    gapSpread: 0.45,
    minGapDays: 7,
    maxGapDays: 110,
    /** How much each gap wanders around the regular's own rhythm (relative). */
    jitter: 0.25,
    minOrders: 5,
    maxOrders: 60,
    /** Orders of a regular that are their favourite product. */
    favouriteShare: 0.6,
  },
  /** Of repeat buyers (few + regular): stopped buying long ago and stayed silent. */
  lapsedShare: 0.22,
  lapsedSilenceDays: { min: 300, max: 800 },
  /** Of repeat buyers: a long silence, then buying again lately. */
  returningShare: 0.1,
  returningGapDays: { min: 240, max: 540 },
  returningRecentDays: 90,
  /** Buyers whose account (or newsletter signup) predates their first order by up to this long. */
  earlySignupShare: 0.12,
  earlySignupMaxDays: 200,

  /** Orders without a customer (POS walk-ins). */
  guestOrderShare: 0.006,
  /** Orders the merchant placed to test checkout. */
  testOrderShare: 0.002,
  /** Recent orders (within `pendingWithinDays` of now) still waiting for payment. */
  pendingShare: 0.15,
  pendingWithinDays: 6,
  /** Orders never paid and cancelled after a few days → VOIDED. */
  unpaidCancelShare: 0.008,
  /** Paid orders cancelled within two days (customer changed mind, fraud, stock) → refunded in full. */
  paidCancelShare: 0.015,
  /** Paid, kept orders with a refund later on. */
  refundShare: 0.055,
  /** Of refunds: everything back (items and shipping) rather than part. */
  fullRefundShare: 0.35,
  /** Paid orders are fulfilled (and archived) this long after the order. */
  fulfilmentDays: { min: 1, max: 4 },

  /** Orders with a discount code. */
  discountShare: 0.16,
  lineCount: [[1, 58], [2, 28], [3, 10], [4, 4]] as const,
  quantity: [[1, 84], [2, 13], [3, 3]] as const,
  giftMessageShare: 0.03,
  sources: [["web", 88], ["pos", 6], ["shopify_draft_order", 4], ["iphone", 2]] as const,
  referrers: [
    ["https://www.google.com/", 34],
    ["https://www.instagram.com/", 14],
    ["https://www.facebook.com/", 8],
    ["https://duckduckgo.com/", 4],
    [null, 40],
  ] as const,

  /** Customers with a phone number; a few have only a phone (no email). */
  phoneShare: 0.35,
  phoneOnlyShare: 0.01,
  /** Prospects with a saved address (buyers always have one). */
  prospectAddressShare: 0.2,
  accountStates: [["DISABLED", 64], ["ENABLED", 31], ["INVITED", 4], ["DECLINED", 1]] as const,
  marketing: [["SUBSCRIBED", 38], ["NOT_SUBSCRIBED", 45], ["UNSUBSCRIBED", 13], ["PENDING", 3], ["INVALID", 1]] as const,
  confirmedOptInShare: 0.2,
  noteShare: 0.01,
  tags: {
    /** Regulars with at least `vipMinOrders` orders tagged VIP by the merchant. */
    vipMinOrders: 15,
    vipShare: 0.7,
    wholesaleShare: 0.01,
    /** Subscribed customers tagged by the newsletter sign-up form. */
    newsletterShare: 0.5,
    shopLoginShare: 0.05,
    influencerShare: 0.003,
  },
} as const;

export type GenerationProfile = typeof GENERATION_PROFILE;
