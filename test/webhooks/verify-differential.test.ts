import { API_SECRET_KEY, APP_URL, getHmac, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { action } from "~/routes/webhooks.$";
import { authenticate } from "~/shopify.server";
import { Random } from "@lifecycle/shopify-sandbox";

/**
 * The webhook route verifies Shopify's signature itself (app/webhooks/verify.server.ts) instead of
 * calling authenticate.webhook, which reads the shop's session. Here both judge the same generated
 * deliveries — valid, tampered, signed with another secret, missing or empty headers, empty
 * bodies, Events-style headers, other methods — and must agree on every one: 200, 400, 401 or 405.
 */
describe("the webhook route's signature check, against authenticate.webhook", () => {
  // 3,000 requests through both checks take 10–30 s on a loaded 2-core CI machine (it ran past the default 30 s once).
  it("answers exactly as authenticate.webhook does on 3,000 generated deliveries (seeded)", async () => {
    const random = new Random(1303);
    const statuses: Record<number, number> = {};
    const kinds: Record<string, number> = {};
    for (let index = 0; index < 3000; index += 1) {
      const delivery = generateDelivery(random, index);
      const expected = await authenticateWebhookStatus(delivery.request());
      const actual = (await action({ request: delivery.request(), params: {}, context: {} })).status;
      expect(actual, `${delivery.kind} #${index}: ${JSON.stringify(delivery.describe())}`).toBe(expected);
      statuses[actual] = (statuses[actual] ?? 0) + 1;
      kinds[delivery.kind] = (kinds[delivery.kind] ?? 0) + 1;
    }
    // Every answer, and every kind of delivery, came up often enough to count.
    for (const status of [200, 400, 401, 405]) expect(statuses[status] ?? 0, `status ${status}`).toBeGreaterThanOrEqual(80);
    for (const kind of KINDS.map(([name]) => name)) expect(kinds[kind] ?? 0, kind).toBeGreaterThanOrEqual(60);
  }, 120_000);
});

/** What authenticate.webhook answers: its thrown Response's status, or 200 once it accepted the delivery. */
async function authenticateWebhookStatus(request: Request): Promise<number> {
  try {
    await authenticate.webhook(request);
    return 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    // It parses the body only after accepting the signature and headers; the route keeps such a
    // delivery, marked failed (see inbox-route.test.ts), and answers 200.
    if (error instanceof SyntaxError) return 200;
    throw error;
  }
}

const KINDS = [
  ["valid", 30],
  ["tampered body", 12],
  ["tampered signature", 12],
  ["other secret", 5],
  ["missing headers", 14],
  ["empty headers", 6],
  ["empty body", 4],
  ["not JSON", 4],
  ["events style", 6],
  ["both styles", 4],
  ["other method", 4],
] as const;

const TOPICS = ["orders/create", "orders/paid", "customers/update", "refunds/create", "app/uninstalled", "customers/redact", "shop/redact", "bulk_operations/finish"];
const SHOPS = [TEST_SHOP, "other-shop.myshopify.com", "UPPER-case.myshopify.com"];
const TEXT = ["a", "é", "✓", "😀", "\\", '"', "\n", "\t", " ", "{", "}", "[", "0", "9", "Zoë", "ﬁ", "\u2028", "\u0000"];
const REQUIRED = ["hmac", "topic", "shop", "apiVersion", "webhookId"] as const;
const HEADER_NAMES = {
  webhooks: { hmac: "X-Shopify-Hmac-Sha256", topic: "X-Shopify-Topic", shop: "X-Shopify-Shop-Domain", apiVersion: "X-Shopify-API-Version", webhookId: "X-Shopify-Webhook-Id", eventId: "X-Shopify-Event-Id" },
  events: { hmac: "Shopify-Hmac-Sha256", topic: "Shopify-Topic", shop: "Shopify-Shop-Domain", apiVersion: "Shopify-API-Version", webhookId: "Shopify-Webhook-Id", eventId: "Shopify-Event-Id" },
};

function text(random: Random, length: number) {
  let result = "";
  for (let index = 0; index < length; index += 1) result += random.pick(TEXT);
  return result;
}

/** A JSON body as Shopify would send it for the topic (naming the shop it is delivered for, where the topic's payload names one). */
function body(random: Random, topic: string, shop: string, index: number) {
  const id = random.chance(0.5) ? `${820982911946154508n + BigInt(index)}` : String(random.int(1, 9_999_999));
  const fields: string[] = [`"id":${id}`, `"admin_graphql_api_id":"gid://shopify/Order/${id}"`, `"note":${JSON.stringify(text(random, random.int(0, 40)))}`];
  if (topic === "customers/redact" || topic === "shop/redact") fields.push(`"shop_domain":${JSON.stringify(shop)}`);
  if (topic === "app/uninstalled") fields.push(`"myshopify_domain":${random.chance(0.5) ? JSON.stringify(shop) : "null"}`);
  if (random.chance(0.3)) fields.push(`"line_items":[${Array.from({ length: random.int(1, 5) }, (_, line) => `{"id":${id}${line},"title":${JSON.stringify(text(random, 8))}}`).join(",")}]`);
  return `{${fields.join(random.pick([",", ", ", ",\n  "]))}}`;
}

/** One generated delivery: `request()` builds a fresh Request of it each time (a body is read once). */
function generateDelivery(random: Random, index: number) {
  const kind = random.weighted(KINDS);
  const topic = random.pick(TOPICS);
  const shop = random.pick(SHOPS);
  const style = kind === "events style" ? "events" : "webhooks";
  const names = HEADER_NAMES[style];
  let raw: string = body(random, topic, shop, index);
  let signed = raw;
  let secret = API_SECRET_KEY;
  let method = "POST";
  const values: Record<string, string> = {
    topic,
    shop,
    apiVersion: "2026-07",
    webhookId: `differential-${index}`,
    eventId: `event-${index}`,
  };
  const removed = new Set<string>();
  const emptied = new Set<string>();
  let signature: string | undefined;

  switch (kind) {
    case "tampered body": {
      const at = random.int(0, raw.length - 1);
      raw = random.pick([
        () => `${raw.slice(0, at)}${raw[at] === "1" ? "2" : "1"}${raw.slice(at + 1)}`,
        () => `${raw} `,
        () => raw.slice(0, Math.max(1, at)),
        () => raw.replace(shop, random.pick(SHOPS.filter((candidate) => candidate !== shop))),
      ])();
      break;
    }
    case "tampered signature": {
      const good = getHmac(signed, secret);
      const at = random.int(0, good.length - 2);
      signature = random.pick([
        () => `${good.slice(0, at)}${good[at] === "A" ? "B" : "A"}${good.slice(at + 1)}`,
        () => good.replace(/=+$/, ""),
        () => good.toLowerCase() === good ? good.toUpperCase() : good.toLowerCase(),
        () => Buffer.from(good, "base64").toString("hex"),
        () => `${good} ${good}`,
        () => getHmac(`${signed} `, secret),
        () => `sha256=${good}`,
      ])();
      break;
    }
    case "other secret":
      secret = random.pick(["not-the-app-secret", `${API_SECRET_KEY} `, API_SECRET_KEY.toUpperCase()]);
      break;
    case "missing headers":
      for (const name of REQUIRED) if (random.chance(0.35)) removed.add(name);
      if (removed.size === 0) removed.add(random.pick(REQUIRED));
      break;
    case "empty headers":
      for (const name of REQUIRED) if (random.chance(0.3)) emptied.add(name);
      if (emptied.size === 0) emptied.add(random.pick(REQUIRED));
      break;
    case "empty body":
      raw = "";
      signed = "";
      break;
    case "not JSON":
      raw = random.pick(["{not json", "plain text ✓", "[1,2", '{"id": 1} trailing', "<xml/>"]);
      signed = raw;
      break;
    case "events style":
      // Events deliveries also need Shopify-Event-Id; the other headers may go missing as well.
      if (random.chance(0.4)) (random.chance(0.5) ? removed : emptied).add("eventId");
      if (random.chance(0.2)) (random.chance(0.5) ? removed : emptied).add(random.pick(REQUIRED));
      break;
    case "other method":
      method = random.pick(["PUT", "PATCH", "GET", "DELETE"]);
      break;
  }
  if (kind !== "tampered body" && kind !== "empty body" && kind !== "not JSON") signed = raw;
  signature ??= getHmac(signed, secret);

  const casing = (name: string) => random.pick([name, name.toLowerCase(), name.toUpperCase()]);
  const headers: [string, string][] = [["Content-Type", "application/json"]];
  for (const [key, name] of Object.entries(names)) {
    if (removed.has(key)) continue;
    const value = key === "hmac" ? signature : values[key]!;
    headers.push([casing(name), emptied.has(key) ? "" : value]);
  }
  // Both styles at once: the Events signature header decides which names are read, as in authenticate.webhook.
  if (kind === "both styles") {
    const eventsSignature = random.chance(0.5) ? signature : getHmac(`${signed}x`, secret);
    headers.push(["Shopify-Hmac-Sha256", eventsSignature]);
    if (random.chance(0.6)) for (const key of ["topic", "shop", "apiVersion", "webhookId", "eventId"] as const) headers.push([HEADER_NAMES.events[key], values[key]!]);
  }
  const withBody = method !== "GET" && method !== "DELETE";
  return {
    kind,
    describe: () => ({ method, headers, raw: raw.slice(0, 120) }),
    request: () => new Request(`${APP_URL}/webhooks/${topic}`, { method, headers, ...(withBody ? { body: raw } : {}) }),
  };
}
