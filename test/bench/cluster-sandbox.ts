/**
 * The Shopify side of the cluster benchmark, in a process of its own: the sandbox serving every
 * shop of the run (one big, the others small) over loopback HTTP, shops named in `x-sandbox-host`
 * (see cluster-app.ts). It writes the webhook deliveries of the run (Shopify's payloads for the
 * shops' own customers, orders and refunds) to a file, and counts what the app writes to Shopify:
 * every tag added (and those that were already on the customer: a write done twice) and every
 * discount code created.
 */
import { createWriteStream } from "node:fs";
import { z } from "zod";
import {
  customerPayload,
  generateShopData,
  orderPayload,
  refundPayload,
  SandboxShop,
} from "@lifecycle/shopify-sandbox";
import { serveBenchSandbox } from "./sandbox-server";

const Config = z.object({
  bigShop: z.string(),
  smallShops: z.array(z.string()),
  bigCustomers: z.number().int(),
  smallCustomers: z.number().int(),
  deliveries: z.number().int(),
  seed: z.number().int(),
  apiKey: z.string(),
  apiSecret: z.string(),
  deliveriesFile: z.string(),
});
export type ClusterSandboxConfig = z.infer<typeof Config>;

/** One line of the deliveries file: a delivery Shopify would send (signed by the sender). */
export interface PlannedDelivery {
  shop: string;
  topic: string;
  body: string;
}

export interface ClusterSandboxReady {
  url: string;
  bigCustomers: number;
  bigOrders: number;
  deliveries: number;
  topics: Record<string, number>;
  generateSeconds: number;
}

/** What the app wrote to the sandbox, per shop. */
export interface WriteCounts {
  tagWrites: number;
  /** Tags added that the customer already had: the same write made twice. */
  tagRewrites: number;
  discountCodes: number;
  /** Codes created a second time for a title already used in the shop. */
  discountRepeats: number;
}

const config = Config.parse(JSON.parse(process.argv[2] ?? "{}"));
const counts = new Map<string, WriteCounts>();
const countsOf = (shop: string) => {
  let entry = counts.get(shop);
  if (!entry) counts.set(shop, (entry = { tagWrites: 0, tagRewrites: 0, discountCodes: 0, discountRepeats: 0 }));
  return entry;
};

// Counted where every tag write lands, whether a direct tagsAdd or a line of a bulk mutation.
const addCustomerTags = SandboxShop.prototype.addCustomerTags;
SandboxShop.prototype.addCustomerTags = function (this: SandboxShop, id: number, tags: string[]) {
  const before = new Set(this.customer(id)?.tags ?? []);
  const entry = countsOf(this.info.domain);
  for (const tag of tags) {
    entry.tagWrites += 1;
    if (before.has(tag.trim())) entry.tagRewrites += 1;
  }
  return addCustomerTags.call(this, id, tags);
};
const createDiscountCode = SandboxShop.prototype.createDiscountCode;
SandboxShop.prototype.createDiscountCode = function (this: SandboxShop, input) {
  const entry = countsOf(this.info.domain);
  entry.discountCodes += 1;
  if (this.discountCodes().some((code) => code.title === input.title)) entry.discountRepeats += 1;
  return createDiscountCode.call(this, input);
};

const { sandbox, url, open, close } = await serveBenchSandbox({ apiKey: config.apiKey, apiSecret: config.apiSecret });

const generateStarted = performance.now();
const now = new Date();
const shops: SandboxShop[] = [];
const allShops = [config.bigShop, ...config.smallShops];
allShops.forEach((domain, index) => {
  const customers = domain === config.bigShop ? config.bigCustomers : config.smallCustomers;
  const shop = sandbox.addShop(generateShopData({ seed: config.seed + index, customers, now, domain, name: `Cluster ${index}` }));
  sandbox.install(domain);
  shops.push(shop);
});
const generateSeconds = (performance.now() - generateStarted) / 1000;

/**
 * Each shop's deliveries, as Shopify would send them for what the shop holds: orders/create for
 * every order, orders/paid for the paid ones, refunds/create for each refund, customers/update for
 * each customer. Made lazily: a shop contributes only as many as its share of the run.
 */
function* deliveriesOf(shop: SandboxShop): Generator<PlannedDelivery> {
  const domain = shop.info.domain;
  const customers = shop.customers();
  const orders = shop.orders();
  const length = Math.max(customers.length, orders.length);
  for (let index = 0; index < length; index += 1) {
    const order = orders[index];
    if (order) {
      const body = JSON.stringify(orderPayload(shop, order));
      yield { shop: domain, topic: "orders/create", body };
      if (["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(order.financialStatus)) yield { shop: domain, topic: "orders/paid", body };
      for (const refund of order.refunds) yield { shop: domain, topic: "refunds/create", body: JSON.stringify(refundPayload(shop, order, refund)) };
    }
    const customer = customers[index];
    if (customer) yield { shop: domain, topic: "customers/update", body: JSON.stringify(customerPayload(shop, customer)) };
  }
}

// Round-robin over the shops, so every shop's deliveries are spread over the whole run.
const out = createWriteStream(config.deliveriesFile);
const topics: Record<string, number> = {};
const sources = shops.map(deliveriesOf);
let written = 0;
while (written < config.deliveries) {
  let any = false;
  for (const source of sources) {
    if (written >= config.deliveries) break;
    const next = source.next();
    if (next.done) continue;
    any = true;
    topics[next.value.topic] = (topics[next.value.topic] ?? 0) + 1;
    if (!out.write(`${JSON.stringify(next.value)}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    written += 1;
  }
  if (!any) throw new Error(`The shops hold only ${written} deliveries; ${config.deliveries} were asked for (raise --small-customers)`);
}
await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));

open();
const big = shops[0]!;
const ready: ClusterSandboxReady = { url, bigCustomers: big.customers().length, bigOrders: big.orders().length, deliveries: written, topics, generateSeconds };
process.send?.(ready);
process.on("message", async (message) => {
  if (message === "counts") return void process.send?.(Object.fromEntries(counts));
  if (message !== "stop") return;
  await close();
  process.exit(0);
});
