/** A small, hand-made sandbox shop and a GraphQL caller over it, for this folder's tests. */
import { ManualClock } from "../store/clock";
import type { SandboxCustomer, SandboxOrder } from "../store/model";
import { SandboxShop } from "../store/shop";
import { executeAdminGraphql, type AdminGraphqlContext, type AdminGraphqlResponse } from "./execute";
import { createFileStore } from "./files";
import { LeakyBucket } from "./throttle";

export const APP_ID = "4242";
const ALL_SCOPES = ["read_customers", "write_customers", "read_orders", "read_all_orders", "write_discounts"];
const DAY = 86_400_000;

export interface GraphqlCaller {
  /** Milliseconds seen by the bucket; tests move it instead of waiting. */
  time: { now: number };
  context: AdminGraphqlContext;
  gql(query: string, variables?: Record<string, unknown>, overrides?: Partial<AdminGraphqlContext>): Promise<AdminGraphqlResponse>;
}

/** An app's view of a shop: its context (scopes, bucket, files) and a way to send it GraphQL. */
export function graphqlCaller(shop: SandboxShop, options: { scopes?: string[] } = {}): GraphqlCaller {
  const time = { now: 0 };
  const context: AdminGraphqlContext = {
    shop,
    appId: APP_ID,
    scopes: options.scopes ?? ALL_SCOPES,
    bucket: new LeakyBucket({ restoreRate: 100, now: () => time.now }),
    files: createFileStore({ baseUrl: "https://sandbox-files.test/storage" }),
    now: () => time.now,
  };
  return { time, context, gql: (query, variables, overrides) => executeAdminGraphql({ ...context, ...overrides }, { query, variables }) };
}

export interface TestShop extends GraphqlCaller {
  shop: SandboxShop;
  clock: ManualClock;
  anna: SandboxCustomer;
  ben: SandboxCustomer;
  cara: SandboxCustomer;
  /** Anna's first order, placed 70 days before "now" (needs read_all_orders). */
  oldOrder: SandboxOrder;
  /** Anna's recent orders; the first has a partial refund. */
  recentOrders: SandboxOrder[];
}

export function createTestShop(options: { scopes?: string[] } = {}): TestShop {
  const clock = new ManualClock("2026-01-05T10:00:00Z");
  const shop = SandboxShop.empty(
    {
      domain: "graphql-test.myshopify.com",
      name: "GraphQL Test Roasters",
      email: "owner@graphql-test.example",
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      plan: "STANDARD",
      createdAt: "2025-01-01T00:00:00Z",
    },
    { clock: clock.now },
  );
  const anna = shop.createCustomer({ firstName: "Anna", lastName: "Nowak", email: "anna@example.com", tags: ["vip"], acceptsMarketing: true });
  const ben = shop.createCustomer({ firstName: "Ben", lastName: "Okafor", email: "ben@example.com", phone: "+14155550100" });
  const cara = shop.createCustomer({ firstName: "Cara", lastName: "Lind", email: "cara@example.com" });
  const line = (title: string, price: string, quantity = 1) => ({ title, sku: title.toUpperCase().replace(/\W+/g, "-"), price, quantity });
  const oldOrder = shop.createOrder({ customerId: anna.id, lineItems: [line("Espresso Roast", "26.00")], paid: true, landingSite: "/?ref=ANNA-7Q2&utm_source=newsletter" });
  clock.advance(70 * DAY);
  const recent = shop.createOrder({
    customerId: anna.id,
    lineItems: [line("House Blend", "14.00", 2), line("Stoneware Mug", "18.00")],
    totalShipping: "5.95",
    discountCodes: ["WELCOME10"],
    customAttributes: [{ key: "lifecycle_ref", value: "BEN-4XZ" }],
    paid: true,
  });
  shop.createRefund(recent.id, { lineItems: [{ lineItemId: recent.lineItems[1]!.id, quantity: 1 }], note: "Chipped mug" });
  clock.advance(DAY);
  const second = shop.createOrder({ customerId: anna.id, lineItems: [line("Paper Filters", "6.00", 3)], paid: false });
  clock.advance(DAY);
  shop.createOrder({ customerId: ben.id, lineItems: [line("Burr Grinder", "119.00")], paid: true, test: true });
  clock.advance(DAY);

  return { ...graphqlCaller(shop, options), shop, clock, anna, ben, cara, oldOrder, recentOrders: [recent, second] };
}
