import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { API_VERSION } from "~/api-version";

const toml = parse(readFileSync("shopify.app.toml", "utf8")) as {
  webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
};

describe("shopify.app.toml", () => {
  it("declares the same Admin API version as the code", () => {
    expect(toml.webhooks.api_version).toBe(API_VERSION);
  });

  it("subscribes every topic the product needs, each to the route named after it", () => {
    const subscribed = toml.webhooks.subscriptions.flatMap((subscription) =>
      [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])].map((topic) => [topic, subscription.uri]),
    );
    const required = [
      "app/uninstalled", "app/scopes_update", "customers/create", "customers/update", "customers/delete",
      "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "refunds/create", "bulk_operations/finish",
      "customers/data_request", "customers/redact", "shop/redact",
    ];
    expect(Object.fromEntries(subscribed)).toEqual(Object.fromEntries(required.map((topic) => [topic, `/webhooks/${topic}`])));
  });
});
