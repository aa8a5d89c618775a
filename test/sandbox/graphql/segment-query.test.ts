import { describe, expect, it } from "vitest";
import { segmentQueryErrors } from "./segment-query";

describe("segment query language", () => {
  it("accepts the forms the product writes", () => {
    for (const query of [
      "customer_tags CONTAINS 'lifecycle:at-risk'",
      "customer_tags NOT CONTAINS 'vip'",
      "number_of_orders >= 2 AND amount_spent > 100.50",
      "(number_of_orders = 0) OR (last_order_date < -90d)",
      "customer_tags CONTAINS 'a' AND (customer_tags CONTAINS 'b' OR NOT customer_tags CONTAINS 'c')",
      "amount_spent BETWEEN 50 AND 500",
      "email_subscription_status = 'SUBSCRIBED'",
      "companies IS NULL",
      "last_order_date >= 2026-01-01",
    ]) {
      expect(segmentQueryErrors(query), query).toEqual([]);
    }
  });

  it("answers Shopify's messages for invalid queries", () => {
    expect(segmentQueryErrors("not a valid segment query ???")).toEqual([
      "Query Line 1 Column 6: 'valid' is unexpected.",
      "Query Line 1 Column 4: 'a' filter cannot be found.",
    ]);
    expect(segmentQueryErrors("number_of_orders >= 'many'")).toEqual(["Query Line 1 Column 20: 'many' is unexpected."]);
    expect(segmentQueryErrors("customer_tags = 'vip'")).toEqual(["Query Line 1 Column 14: '=' is unexpected."]);
    expect(segmentQueryErrors("email_subscription_status = 'MAYBE'")).toEqual(["Query Line 1 Column 28: 'MAYBE' is unexpected."]);
    expect(segmentQueryErrors("number_of_orders >= 1 AND")).toEqual(["Query is incomplete."]);
  });
});
