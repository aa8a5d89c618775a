/**
 * The Shopify side of the backfill benchmark, in a process of its own so that its CPU and memory
 * are not counted as the app's: a generated sandbox shop serving token exchange, Admin GraphQL and
 * the bulk operations' JSONL files over loopback HTTP. Requests meant for https://<shop>.myshopify.com
 * arrive with the shop named in `x-sandbox-host` (see backfill-app.ts).
 */
import { z } from "zod";
import { generateShopData } from "@lifecycle/shopify-sandbox";
import { serveBenchSandbox } from "./sandbox-server";

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

const { sandbox, url, open, close } = await serveBenchSandbox({ apiKey: config.apiKey, apiSecret: config.apiSecret });

const generateStarted = performance.now();
const data = generateShopData({ seed: config.seed, customers: config.customers, now: new Date(), domain: config.shop, name: "Backfill Bench" });
const generateSeconds = (performance.now() - generateStarted) / 1000;
sandbox.addShop(data);
sandbox.install(config.shop);
open();

const ready: SandboxReady = {
  url,
  customers: data.customers.length,
  orders: data.orders.length,
  refunds: data.orders.reduce((sum, order) => sum + order.refunds.length, 0),
  generateSeconds,
};
process.send?.(ready);
process.on("message", async (message) => {
  if (message !== "stop") return;
  await close();
  process.exit(0);
});
