import { describe, expect, it } from "vitest";
import { blockAvailable, renderBlock, type LiquidApp, type RenderOptions } from "../support/sandbox-app";

const summary = (patch: Record<string, unknown> = {}) =>
  JSON.stringify({
    points: 620,
    pending: 0,
    reward_points: 500,
    reward_value_minor: 500,
    points_needed: 0,
    can_redeem: true,
    stage: "advocate",
    referral_code: "ANNA-7K2P",
    referral_url: "https://shop.example/?ref=ANNA-7K2P",
    friend_discount_percent: 10,
    ...patch,
  });
// The app-data metafield the app writes when the merchant turns the programme on (or off).
const programme = (value: string | null): LiquidApp => ({ metafields: value === null ? {} : { loyalty: { enabled: { type: "boolean", value } } } });
const options = (patch: Partial<RenderOptions> = {}): RenderOptions => ({
  customer: { id: 1, metafields: { "$app:loyalty": { summary: { type: "json", value: summary() } } } },
  app: programme("true"),
  locale: "en",
  currencyCode: "USD",
  rootUrl: "/store/demo/storefront/1",
  blockId: "b1",
  settings: { heading: "Rewards" },
  ...patch,
});
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

describe("the loyalty block rendered as a storefront would", () => {
  it("shows an advocate their points, the reward they can take, and their referral link", () => {
    const html = renderBlock("loyalty.liquid", options());
    expect(text(html)).toContain("620 points");
    expect(text(html)).toContain("You can turn 500 points into $5.00 off your next order.");
    expect(text(html)).toContain("Thank you for spreading the word.");
    expect(html).toContain('value="https://shop.example/?ref=ANNA-7K2P"');
    expect(html).toContain('data-proxy="/store/demo/storefront/1/apps/lifecycle"');
    expect(html).toContain("data-redeem");
  });

  it("tells a loyal customer how far the next reward is, with no referral link", () => {
    const html = renderBlock(
      "loyalty.liquid",
      options({
        customer: {
          id: 2,
          metafields: {
            "$app:loyalty": {
              summary: {
                type: "json",
                value: summary({ points: 120, points_needed: 380, can_redeem: false, stage: "loyal", referral_code: null, referral_url: null }),
              },
            },
          },
        },
      }),
    );
    expect(text(html)).toContain("380 more points to your next reward: $5.00 off.");
    expect(html).not.toContain("data-referral");
    expect(html).not.toContain("data-redeem");
  });

  it("speaks the customer's language, plural forms included", () => {
    const html = renderBlock(
      "loyalty.liquid",
      options({
        locale: "pl",
        customer: {
          id: 2,
          metafields: { "$app:loyalty": { summary: { type: "json", value: summary({ points: 498, points_needed: 2, can_redeem: false, stage: "new" }) } } },
        },
      }),
    );
    expect(text(html)).toContain("Jeszcze 2 punkty do następnej nagrody");
  });

  it("invites a customer without points and a logged-out visitor", () => {
    expect(text(renderBlock("loyalty.liquid", options({ customer: { id: 3, metafields: {} } })))).toContain("Your first order earns you points.");
    const loggedOut = renderBlock("loyalty.liquid", options({ customer: null }));
    expect(text(loggedOut)).toContain("Log in to see your points and rewards.");
    expect(loggedOut).toContain('href="/store/demo/storefront/1/account/login"');
  });

  it.each([
    ["never turned on (no app-data metafield)", null],
    ["turned off", "false"],
  ])("renders nothing, and loads no script, while the programme is %s", (_name, value) => {
    for (const customer of [options().customer, null]) expect(renderBlock("loyalty.liquid", options({ customer, app: programme(value) }))).toBe("");
    expect(blockAvailable("loyalty.liquid", programme(value))).toBe(false);
    expect(blockAvailable("referral-capture.liquid", programme(value))).toBe(false);
    expect(blockAvailable("loyalty.liquid", programme("true"))).toBe(true);
    expect(blockAvailable("referral-capture.liquid", programme("true"))).toBe(true);
  });
});
