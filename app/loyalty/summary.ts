import { nextReward, type Balance, type PointsRules } from "./points";

/** What of the programme's settings a customer's summary shows (a stored LoyaltySettings row fits). */
export interface SummarySettings extends Pick<PointsRules, "pointsPerReward" | "rewardValueMinor"> {
  shop: string;
  friendDiscountPercent: number;
}

/**
 * What the storefront shows a customer, ready to render: the theme block reads it in Liquid and
 * computes nothing. Amounts are minor units, for Liquid's `money` filter.
 */
export function loyaltySummary(
  account: Pick<Balance, "available" | "pending">,
  settings: SummarySettings,
  customer: { stage: string | null; referralCode: string | null; shop: string } = { stage: null, referralCode: null, shop: settings.shop },
) {
  const reward = nextReward(account, settings);
  return {
    points: account.available,
    pending: account.pending,
    reward_points: reward.costPoints,
    reward_value_minor: reward.valueMinor,
    points_needed: reward.pointsNeeded,
    can_redeem: reward.pointsNeeded === 0,
    // The storefront's message depends on the stage; only advocates are shown a referral link.
    stage: customer.stage,
    referral_code: customer.referralCode,
    referral_url: customer.referralCode ? referralUrl(customer.shop, customer.referralCode) : null,
    friend_discount_percent: settings.friendDiscountPercent,
  };
}

/**
 * A referral link: Shopify's shareable discount link applies the friend's discount to their cart,
 * then lands on the home page with `?ref=`, which the storefront embed keeps with the cart.
 */
export function referralUrl(shop: string, code: string): string {
  const encoded = encodeURIComponent(code);
  return `https://${shop}/discount/${encoded}?redirect=${encodeURIComponent(`/?ref=${encoded}`)}`;
}
