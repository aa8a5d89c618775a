import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { API_SECRET_KEY, getHmac, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.$";
import { sessionStorage } from "~/shopify.server";
import { recordInstallation } from "~/shops/installation.server";
import { syncHealth } from "~/sync/health.server";
import { MAX_WEBHOOK_BODY_BYTES } from "~/webhooks/receive.server";
import { signedWebhookRequest, type WebhookRequestOptions } from "../support/webhooks";

const post = (options: WebhookRequestOptions) => action({ request: signedWebhookRequest(options), params: {}, context: {} });

beforeEach(async () => {
  await prisma.webhookDelivery.deleteMany();
  await prisma.refusedWebhook.deleteMany();
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
});

describe("acknowledging a delivery", () => {
  it("rests on Shopify's signature alone: no session is read and no token refreshed, even for a shop whose offline token has expired", async () => {
    await recordInstallation(prisma, TEST_SHOP, "read_customers", new Date("2026-11-01T00:00:00Z"));
    // Expired an hour ago, with a refresh token: authenticate.webhook would refresh it (a network call msw refuses).
    await sessionStorage.storeSession(
      new Session({
        id: `offline_${TEST_SHOP}`,
        shop: TEST_SHOP,
        state: "",
        isOnline: false,
        accessToken: "shpat_expired",
        scope: "read_customers",
        expires: new Date(Date.now() - 3_600_000),
        refreshToken: "shprt_refresh",
        refreshTokenExpires: new Date(Date.now() + 86_400_000),
      }),
    );
    const loadSession = vi.spyOn(sessionStorage, "loadSession");
    try {
      const response = await post({ topic: "orders/create", webhookId: "wh-hmac-alone" });
      expect(response.status).toBe(200);
      expect(loadSession).not.toHaveBeenCalled();
    } finally {
      loadSession.mockRestore();
    }
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-hmac-alone" } })).toBe(1);
    expect((await sessionStorage.loadSession(`offline_${TEST_SHOP}`))?.accessToken).toBe("shpat_expired");
  });
});

describe("the body limit", () => {
  const padded = (bytes: number) => {
    const frame = '{"id":1,"pad":""}';
    return `{"id":1,"pad":"${"x".repeat(bytes - frame.length)}"}`;
  };

  it(`accepts a signed body of exactly ${MAX_WEBHOOK_BODY_BYTES} bytes and answers 413 to one byte more, before looking at its signature`, async () => {
    const atLimit = padded(MAX_WEBHOOK_BODY_BYTES);
    expect(Buffer.byteLength(atLimit)).toBe(MAX_WEBHOOK_BODY_BYTES);
    expect((await post({ rawBody: atLimit, webhookId: "wh-at-limit" })).status).toBe(200);
    expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-at-limit" } })).payload).toHaveLength(MAX_WEBHOOK_BODY_BYTES);

    // Correctly signed, and still refused: the size is checked first.
    expect((await post({ rawBody: padded(MAX_WEBHOOK_BODY_BYTES + 1), webhookId: "wh-past-limit" })).status).toBe(413);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-past-limit" } })).toBe(0);
  });

  it("counts the bytes themselves rather than trusting Content-Length: an understated length does not let a large body in", async () => {
    const { sent, body } = lazyBody(1024 ** 3);
    const signed = signedWebhookRequest({ webhookId: "wh-understated" });
    const headers = new Headers(signed.headers);
    headers.set("content-length", "10");
    const request = new Request(signed.url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
    expect((await action({ request, params: {}, context: {} })).status).toBe(413);
    expect(sent()).toBeLessThan(2 * MAX_WEBHOOK_BODY_BYTES);
  });

  describe("over HTTP, through Remix's Node adapter as in production", () => {
    let url = "";
    let close = () => Promise.resolve();
    beforeAll(async () => {
      const server = createServer((req, res) => void serveWebhook(req, res));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/orders/create`;
      close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    });
    afterAll(() => close());

    it("answers 413 to a 1 GB body with a bad signature, streamed without a length, and the process's memory stays flat", async () => {
      const memory = watchMemory();
      const result = await sendLarge(url, 1024 ** 3, {});
      const growth = memory.stop();

      expect(result.status).toBe(413);
      // Refused after reading a little past the limit: the sender could not push the rest.
      expect(result.sent).toBeLessThan(32 * 1024 ** 2);
      expect(growth.rss).toBeLessThan(64 * 1024 ** 2);
      expect(growth.heapUsed).toBeLessThan(64 * 1024 ** 2);
    });

    it("answers 413 at once to a declared length past the limit, reading nothing of the body", async () => {
      const result = await sendLarge(url, 1024 ** 3, { "content-length": String(1024 ** 3) });
      expect(result.status).toBe(413);
      expect(result.sent).toBeLessThan(16 * 1024 ** 2);
    });
  });
});

describe("a delivery whose shop header disagrees with the shop its signed payload names", () => {
  const OTHER_SHOP = "other-shop.myshopify.com";
  const redact = (shop: string) => ({ shop_id: 954889, shop_domain: shop, customer: { id: 191167 }, orders_to_redact: [] });

  it("is refused, recorded for the merchant of the shop it claimed to be for, and does not keep the genuine delivery out of the inbox", async () => {
    await recordInstallation(prisma, TEST_SHOP, "read_customers", new Date("2026-11-01T00:00:00Z"));
    // Another shop's genuine customers/redact, replayed with our shop's name in the unsigned header.
    const forged = await post({ topic: "customers/redact", shop: TEST_SHOP, body: redact(OTHER_SHOP), webhookId: "wh-replayed" });
    expect(forged.status).toBe(400);
    const again = await post({ topic: "customers/redact", shop: TEST_SHOP, body: redact(OTHER_SHOP), webhookId: "wh-replayed" });
    expect(again.status).toBe(400);
    expect(await prisma.webhookDelivery.count()).toBe(0);
    expect(await prisma.refusedWebhook.findMany({ select: { shop: true, namedShop: true, topic: true, webhookId: true, times: true } })).toEqual([
      { shop: TEST_SHOP, namedShop: OTHER_SHOP, topic: "customers/redact", webhookId: "wh-replayed", times: 2 },
    ]);
    const { refusedDeliveries } = await syncHealth(prisma, TEST_SHOP);
    expect(refusedDeliveries).toEqual([expect.objectContaining({ topic: "customers/redact", times: 2 })]);

    // The genuine delivery, with the same webhook id, is stored as usual.
    expect((await post({ topic: "customers/redact", shop: OTHER_SHOP, body: redact(OTHER_SHOP), webhookId: "wh-replayed" })).status).toBe(200);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-replayed" } })).toMatchObject({ shop: OTHER_SHOP, status: "pending" });
    // A replay after it is refused as well, and leaves it as it was.
    expect((await post({ topic: "customers/redact", shop: TEST_SHOP, body: redact(OTHER_SHOP), webhookId: "wh-replayed" })).status).toBe(400);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: "wh-replayed" } })).toMatchObject({ shop: OTHER_SHOP });
  });

  it.each([
    ["customers/data_request", { shop_domain: OTHER_SHOP, customer: { id: 1 }, orders_requested: [] }],
    ["shop/redact", { shop_id: 1, shop_domain: OTHER_SHOP }],
    ["app/uninstalled", { id: 1, domain: "shop.example.com", myshopify_domain: OTHER_SHOP }],
  ])("is refused for %s too", async (topic, body) => {
    expect((await post({ topic, shop: TEST_SHOP, body })).status).toBe(400);
    expect(await prisma.webhookDelivery.count()).toBe(0);
  });

  it("is only logged when the claimed shop is none of ours: nobody could be shown the record", async () => {
    expect((await post({ topic: "shop/redact", shop: "unknown-shop.myshopify.com", body: { shop_id: 1, shop_domain: OTHER_SHOP } })).status).toBe(400);
    expect(await prisma.refusedWebhook.count()).toBe(0);
  });

  it("is accepted where the payload names the same shop (in any case) or names none", async () => {
    const accepted: [string, object][] = [
      ["shop/redact", { shop_id: 1, shop_domain: TEST_SHOP.toUpperCase() }],
      ["app/uninstalled", { id: 1, domain: null, myshopify_domain: null }],
      ["app/uninstalled", { id: 1, domain: "another-domain.example.com", myshopify_domain: TEST_SHOP }],
      ["orders/create", { id: 1, order_status_url: `https://${OTHER_SHOP}/1/orders/abc/authenticate?key=x` }],
    ];
    for (const [topic, body] of accepted) expect((await post({ topic, shop: TEST_SHOP, body })).status, topic).toBe(200);
    expect(await prisma.webhookDelivery.count()).toBe(accepted.length);
  });
});

/** The webhook route behind node:http, its request and response converted as @remix-run/express converts them. */
async function serveWebhook(req: IncomingMessage, res: ServerResponse) {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) for (const item of [value ?? []].flat()) headers.append(name, item);
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method,
    headers,
    body: createReadableStreamFromReadable(req),
    duplex: "half",
    signal: controller.signal,
  } as RequestInit);
  const response = await action({ request, params: {}, context: {} });
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.appendHeader(name, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** A body of `size` bytes produced 64 KB at a time as it is read, never held; `sent()` says how much was produced. */
function lazyBody(size: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let produced = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= size) return controller.close();
      produced += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, sent: () => produced };
}

/** Posts `size` bytes (a bad signature) over HTTP, writing only as fast as the server reads; stops at the answer. */
function sendLarge(url: string, size: number, extraHeaders: Record<string, string>): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let answered = false;
    const request = httpRequest(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": getHmac("not this body", API_SECRET_KEY),
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": TEST_SHOP,
        "X-Shopify-API-Version": "2026-07",
        "X-Shopify-Webhook-Id": "wh-gigabyte",
        ...extraHeaders,
      },
    });
    request.on("response", (response) => {
      answered = true;
      response.resume();
      request.destroy();
      resolve({ status: response.statusCode ?? 0, sent });
    });
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      if (!answered) request.end();
    };
    write();
  });
}

/** Peak growth of RSS and heap over a stretch of work, sampled every 10 ms. */
function watchMemory() {
  const start = process.memoryUsage();
  const peak = { rss: start.rss, heapUsed: start.heapUsed };
  const sample = () => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
  };
  const timer = setInterval(sample, 10);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { rss: peak.rss - start.rss, heapUsed: peak.heapUsed - start.heapUsed };
    },
  };
}
