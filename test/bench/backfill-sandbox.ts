/**
 * The Shopify side of the backfill benchmark, in a process of its own so that its CPU and memory
 * are not counted as the app's: a generated sandbox shop serving token exchange, Admin GraphQL and
 * the bulk operations' JSONL files over loopback HTTP. Requests meant for https://<shop>.myshopify.com
 * arrive with the shop named in `x-sandbox-host` (see backfill-app.ts).
 */
import { z } from "zod";
import { generateShopData, Sandbox, serveFetchHandler } from "@lifecycle/shopify-sandbox";
import { appFromToml } from "../support/sandbox-app";

const Config = z.object({ shop: z.string(), customers: z.number().int(), seed: z.number().int(), apiKey: z.string(), apiSecret: z.string() });
export type SandboxConfig = z.infer<typeof Config>;

export interface SandboxReady {
  url: string;
  customers: number;
  orders: number;
  refunds: number;
  generateSeconds: number;
}

const config = Config.parse(JSON.parse(process.argv[2] ?? "{}"));

// The sandbox names its file URLs after its own origin, known only once the server listens.
const served: { sandbox?: Sandbox } = {};
const server = await serveFetchHandler(
  (request) => {
    const { sandbox } = served;
    if (!sandbox) return Promise.resolve(new Response("starting", { status: 503 }));
    const shop = request.headers.get("x-sandbox-host");
    if (!shop) return sandbox.handle(request);
    const url = new URL(request.url);
    return sandbox.handle(new Request(`https://${shop}${url.pathname}${url.search}`, request));
  },
  { port: 0 },
);
// No webhooks are delivered (no app server listens): the app side watches its bulk operations itself.
const sandbox = new Sandbox({ app: appFromToml({ apiKey: config.apiKey, apiSecret: config.apiSecret, appUrl: "http://127.0.0.1:9" }), publicUrl: server.url });

const generateStarted = performance.now();
const data = generateShopData({ seed: config.seed, customers: config.customers, now: new Date(), domain: config.shop, name: "Backfill Bench" });
const generateSeconds = (performance.now() - generateStarted) / 1000;
sandbox.addShop(data);
sandbox.install(config.shop);
served.sandbox = sandbox;

const ready: SandboxReady = {
  url: server.url,
  customers: data.customers.length,
  orders: data.orders.length,
  refunds: data.orders.reduce((sum, order) => sum + order.refunds.length, 0),
  generateSeconds,
};
process.send?.(ready);
process.on("message", async (message) => {
  if (message !== "stop") return;
  await server.close();
  process.exit(0);
});
