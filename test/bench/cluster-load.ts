/**
 * The cluster benchmark's Shopify: signs each planned delivery, sends it at a steady rate to the
 * web instances in turn (a load balancer), with 10 % of them sent twice and the order shuffled, and
 * retries every attempt that is not answered 2xx within 5 s, as Shopify does (its 8 retries spread
 * over 4 hours here spread over seconds).
 */
import { createHmac } from "node:crypto";
import { type Agent, request as httpRequest } from "node:http";
import { Random } from "@lifecycle/shopify-sandbox";

// Shopify: 1 s to connect, 5 s for the whole answer; a failure is retried 8 times.
const ATTEMPT_TIMEOUT_MS = 5_000;
const MAX_RETRIES = 8;
const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 8_000;

export interface SignedDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  body: Buffer;
  triggeredAt: string;
}

/** Where a delivery goes: one of the web instances, whose URL changes when it is restarted. */
export interface Instance {
  url: string;
  agent: Agent;
  inFlight: number;
}

export interface LoadState {
  /** performance.now() of the first 2xx answer per delivery index, NaN until then. */
  ackedAt: Float64Array;
  sends: number;
  attempts: number;
  retries: number;
  gaveUp: number;
  ackLatencies: number[];
  failures: Record<string, number>;
  pending: number;
}

export function signDelivery(planned: { shop: string; topic: string; body: string }, webhookId: string, triggeredAt: Date): SignedDelivery {
  return { shop: planned.shop, topic: planned.topic, webhookId, body: Buffer.from(planned.body), triggeredAt: triggeredAt.toISOString() };
}

function headersOf(delivery: SignedDelivery, secret: string, apiVersion: string): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "Content-Length": String(delivery.body.byteLength),
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(delivery.body).digest("base64"),
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-API-Version": apiVersion,
    "X-Shopify-Webhook-Id": delivery.webhookId,
    "X-Shopify-Event-Id": `event-${delivery.webhookId}`,
    "X-Shopify-Triggered-At": delivery.triggeredAt,
  };
}

/**
 * The order deliveries are sent in: each once, 10 % of them (`duplicateShare`) a second time a
 * little later, and neighbours swapped so that a shop's deliveries do not arrive in the order
 * they happened (Shopify guarantees no order).
 */
export function sendOrder(count: number, duplicateShare: number, seed: number): Int32Array {
  const random = new Random(seed);
  const order: number[] = Array.from({ length: count }, (_, index) => index);
  for (let index = 0; index < count; index += 1) {
    if (random.next() < 0.1) {
      const other = Math.min(count - 1, index + 1 + Math.floor(random.next() * 50));
      [order[index], order[other]] = [order[other]!, order[index]!];
    }
  }
  const duplicates = Math.round(count * duplicateShare);
  for (let made = 0; made < duplicates; made += 1) {
    const position = Math.floor(random.next() * order.length);
    const later = Math.min(order.length, position + 1 + Math.floor(random.next() * 2_000));
    order.splice(later, 0, order[position]!);
  }
  return Int32Array.from(order);
}

export interface LoadOptions {
  deliveries: SignedDelivery[];
  order: Int32Array;
  instances: Instance[];
  rate: number;
  concurrency: number;
  secret: string;
  apiVersion: string;
  /** Called with the send's index before each first attempt (faults are injected from here). */
  onSend?: (sent: number) => void | Promise<void>;
}

/** Sends every delivery of `order` and resolves once each is acknowledged or given up on. */
export async function runClusterLoad(options: LoadOptions, state: LoadState): Promise<void> {
  const { deliveries, order, instances, rate, concurrency, secret, apiVersion } = options;
  let nextInstance = 0;
  let inFlight = 0;
  let finishAll = () => {};
  const allDone = new Promise<void>((resolve) => (finishAll = resolve));
  let dispatched = false;

  const settle = () => {
    state.pending -= 1;
    if (dispatched && state.pending === 0) finishAll();
  };

  const attempt = (index: number, retry: number) => {
    const delivery = deliveries[index]!;
    const instance = instances[nextInstance++ % instances.length]!;
    state.attempts += 1;
    inFlight += 1;
    instance.inFlight += 1;
    const started = performance.now();
    post(instance, delivery, headersOf(delivery, secret, apiVersion)).then(
      (status) => {
        inFlight -= 1;
        instance.inFlight -= 1;
        if (status >= 200 && status < 300) {
          state.ackLatencies.push(performance.now() - started);
          if (Number.isNaN(state.ackedAt[index]!)) state.ackedAt[index] = performance.now();
          return settle();
        }
        failed(index, retry, `http ${status}`);
      },
      (error: Error & { code?: string }) => {
        inFlight -= 1;
        instance.inFlight -= 1;
        failed(index, retry, error.code ?? error.message);
      },
    );
  };

  const failed = (index: number, retry: number, reason: string) => {
    state.failures[reason] = (state.failures[reason] ?? 0) + 1;
    if (retry >= MAX_RETRIES) {
      state.gaveUp += 1;
      return settle();
    }
    state.retries += 1;
    setTimeout(() => attempt(index, retry + 1), Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** retry));
  };

  const started = performance.now();
  for (let sent = 0; sent < order.length; sent += 1) {
    const due = started + (sent / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight >= concurrency) await new Promise((resolve) => setTimeout(resolve, 2));
    await options.onSend?.(sent);
    state.sends += 1;
    state.pending += 1;
    attempt(order[sent]!, 0);
  }
  dispatched = true;
  if (state.pending === 0) finishAll();
  await allDone;
}

/** One attempt: the status once the whole answer has arrived; rejects on a cut connection or after 5 s. */
function post(instance: Instance, delivery: SignedDelivery, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${instance.url}/webhooks/${delivery.topic}`, { method: "POST", headers, agent: instance.agent }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode ?? 0));
      response.once("error", reject);
    });
    outgoing.setTimeout(ATTEMPT_TIMEOUT_MS, () => outgoing.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    outgoing.once("error", reject);
    outgoing.end(delivery.body);
  });
}
