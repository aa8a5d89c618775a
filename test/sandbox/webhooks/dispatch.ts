/**
 * Shopify's webhook delivery, for the sandbox: listens to a shop's changes, turns each into the
 * topics Shopify would send, and POSTs signed deliveries to the app's subscribed URLs. The awkward
 * parts of the real thing can be switched on per flush: duplicates (same webhook id), any order,
 * and lost deliveries. Failed attempts (non-2xx, network error, timeout) are retried a bounded
 * number of times, like Shopify's 8 retries, only milliseconds apart.
 */
import { createHmac } from "node:crypto";
import type { SandboxShopApi } from "../store/shop-api";
import { payloadsForChange } from "./payloads";
import { WebhookConfigError, type WebhookSubscription } from "./subscriptions";

export { readSubscriptions, type WebhookSubscription } from "./subscriptions";

export interface WebhookDelivery {
  readonly topic: string;
  readonly url: string;
  /** The exact bytes that are signed and sent. */
  readonly body: string;
  /** Stable across retries and duplicates of this delivery. */
  readonly webhookId: string;
  /** One per event: shared by the deliveries of one topic's event to several URLs. */
  readonly eventId: string;
  readonly triggeredAt: string;
}

export interface DeliveryResult {
  delivery: WebhookDelivery;
  /** delivered: answered 2xx; failed: no 2xx after every retry; dropped: never sent (flush's `drop`). */
  outcome: "delivered" | "failed" | "dropped";
  /** The last HTTP status, or null when nothing answered (network error, timeout) or it was dropped. */
  status: number | null;
  attempts: number;
  /** This send is the extra copy of a delivery sent twice. */
  duplicate: boolean;
  error: string | null;
}

export interface FlushOptions {
  /** Probability (0–1) that a delivery is sent twice, as Shopify sometimes does. */
  duplicates?: number;
  /** Send in random order: Shopify guarantees no ordering. */
  shuffle?: boolean;
  /** Deliveries for which this answers true are lost: never sent. */
  drop?: (delivery: WebhookDelivery) => boolean;
}

export interface WebhookDispatcherOptions {
  shop: SandboxShopApi;
  /** What relative subscription URIs are resolved against, e.g. "http://127.0.0.1:3000". */
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  subscriptions: readonly WebhookSubscription[];
  /** Defaults to the global fetch, looked up at each send (so msw can intercept it). */
  fetch?: typeof fetch;
  /** Randomness for ids, duplicates and shuffling; pass a seeded Random's `next` for repeatable runs. */
  random?: () => number;
  /** Further attempts after a failed one (Shopify makes 8 over 4 hours). */
  retries?: number;
  /** Wait before retry number `retry` (1, 2, …). */
  retryDelayMs?: (retry: number) => number;
  /** Shopify abandons an attempt after 5 seconds. */
  timeoutMs?: number;
  /** Send on its own shortly after each change instead of on flush() (for the demo). */
  autoFlush?: boolean | { delayMs?: number; flush?: FlushOptions };
  /** Told about every send, e.g. to log deliveries; must not throw. */
  onResult?: (result: DeliveryResult) => void;
}

export interface WebhookDispatcher {
  /** Deliveries queued and not yet sent. */
  pending(): readonly WebhookDelivery[];
  /** Sends everything queued; resolves to one result per send (duplicates included) and per drop. */
  flush(options?: FlushOptions): Promise<DeliveryResult[]>;
  /** Sends a hand-triggered topic now (app/uninstalled, compliance topics, …) to its subscribers. */
  send(topic: string, payload: object): Promise<DeliveryResult[]>;
  /** Resolves once automatic sends under way (autoFlush) have finished. */
  idle(): Promise<void>;
  /** Stops listening to the shop and cancels a scheduled automatic send. */
  close(): void;
}

export class UnsubscribedTopicError extends Error {
  override readonly name = "UnsubscribedTopicError";
}

const DEFAULT_RETRIES = 8;
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_AUTO_FLUSH_DELAY_MS = 50;

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const random = options.random ?? Math.random;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const retryDelayMs = options.retryDelayMs ?? ((retry: number) => Math.min(5 * 2 ** (retry - 1), 200));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const autoFlush: { delayMs?: number; flush?: FlushOptions } | null = options.autoFlush === true ? {} : options.autoFlush || null;
  const urlsByTopic = subscriptionUrls(options.subscriptions, options.appUrl);
  const queue: WebhookDelivery[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<unknown> = Promise.resolve();

  const deliveriesFor = (topic: string, payload: object, triggeredAt: string): WebhookDelivery[] => {
    const body = JSON.stringify(payload);
    const eventId = uuid(random);
    return (urlsByTopic.get(topic) ?? []).map((url) => ({ topic, url, body, webhookId: uuid(random), eventId, triggeredAt }));
  };

  const headers = (delivery: WebhookDelivery): Record<string, string> => ({
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Hmac-Sha256": createHmac("sha256", options.apiSecret).update(delivery.body, "utf8").digest("base64"),
    "X-Shopify-Shop-Domain": options.shop.info.domain,
    "X-Shopify-API-Version": options.apiVersion,
    "X-Shopify-Webhook-Id": delivery.webhookId,
    "X-Shopify-Event-Id": delivery.eventId,
    "X-Shopify-Triggered-At": delivery.triggeredAt,
  });

  const deliver = async (delivery: WebhookDelivery, duplicate: boolean): Promise<DeliveryResult> => {
    let status: number | null = null;
    let error: string | null = null;
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      if (attempt > 1) await sleep(retryDelayMs(attempt - 1));
      try {
        const response = await (options.fetch ?? globalThis.fetch)(delivery.url, {
          method: "POST",
          headers: headers(delivery),
          body: delivery.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer();
        status = response.status;
        error = null;
        if (response.ok) return report({ delivery, outcome: "delivered", status, attempts: attempt, duplicate, error });
      } catch (failure) {
        status = null;
        error = failure instanceof Error ? failure.message : String(failure);
      }
    }
    return report({ delivery, outcome: "failed", status, attempts: retries + 1, duplicate, error });
  };

  const report = (result: DeliveryResult): DeliveryResult => {
    options.onResult?.(result);
    return result;
  };

  const sendAll = async (deliveries: WebhookDelivery[], flush: FlushOptions): Promise<DeliveryResult[]> => {
    const results: DeliveryResult[] = [];
    const sends: { delivery: WebhookDelivery; duplicate: boolean }[] = [];
    for (const delivery of deliveries) {
      if (flush.drop?.(delivery)) {
        results.push(report({ delivery, outcome: "dropped", status: null, attempts: 0, duplicate: false, error: null }));
        continue;
      }
      sends.push({ delivery, duplicate: false });
      if (flush.duplicates && random() < flush.duplicates) sends.push({ delivery, duplicate: true });
    }
    if (flush.shuffle) shuffle(sends, random);
    for (const { delivery, duplicate } of sends) results.push(await deliver(delivery, duplicate));
    return results;
  };

  const flush = (flushOptions: FlushOptions = {}) => sendAll(queue.splice(0), flushOptions);

  const scheduleAutoFlush = () => {
    if (!autoFlush || timer) return;
    timer = setTimeout(() => {
      timer = null;
      // Sends run one after another; a failure of one run must not stop the next.
      running = running.catch(() => undefined).then(() => flush(autoFlush.flush));
    }, autoFlush.delayMs ?? DEFAULT_AUTO_FLUSH_DELAY_MS);
  };

  // Shopify's X-Shopify-Triggered-At has nanoseconds ("…10.612474837Z"), so two events of one
  // second are still ordered by it. The sandbox's changes can share a clock reading (a cancellation
  // and its refund), so each event gets at least a millisecond after the previous one.
  let lastTriggeredMs = 0;
  const triggeredAt = (at: string) => {
    lastTriggeredMs = Math.max(Date.parse(at), lastTriggeredMs + 1);
    return new Date(lastTriggeredMs).toISOString().replace("Z", "000000Z");
  };

  const unsubscribe = options.shop.onChange((change) => {
    const at = triggeredAt(change.at);
    for (const { topic, payload } of payloadsForChange(options.shop, change)) queue.push(...deliveriesFor(topic, payload, at));
    if (queue.length > 0) scheduleAutoFlush();
  });

  return {
    pending: () => [...queue],
    flush,
    async send(topic, payload) {
      const deliveries = deliveriesFor(topic, payload, triggeredAt(options.shop.now().toISOString()));
      if (deliveries.length === 0) throw new UnsubscribedTopicError(`The app has no subscription for ${topic}`);
      return sendAll(deliveries, {});
    },
    idle: async () => {
      while (timer) await sleep(autoFlush?.delayMs ?? DEFAULT_AUTO_FLUSH_DELAY_MS);
      await running;
    },
    close() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

function subscriptionUrls(subscriptions: readonly WebhookSubscription[], appUrl: string): Map<string, string[]> {
  const urls = new Map<string, string[]>();
  for (const subscription of subscriptions) {
    const url = new URL(subscription.uri, appUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new WebhookConfigError(`The sandbox delivers over HTTP only, not to ${subscription.uri}`);
    }
    urls.set(subscription.topic, [...(urls.get(subscription.topic) ?? []), url.toString()]);
  }
  return urls;
}

/** A version-4 UUID from the dispatcher's randomness, so seeded runs repeat their ids. */
function uuid(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
