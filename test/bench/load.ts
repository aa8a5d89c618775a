import { Agent, request as httpRequest } from "node:http";

/** A request of a load: sent as is, its body bytes made once beforehand. */
export interface LoadRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A bounded closed-loop load: `concurrency` clients send the given requests as fast as answered. */
export interface LoadResult {
  sent: number;
  seconds: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  statuses: Record<number, number>;
}

/**
 * Sends the requests over `concurrency` kept-alive connections with node:http. The load generator
 * shares the machine with the server it measures: undici's fetch spent about as much CPU per request
 * as the server's whole answer, and its pauses showed up as the server's latency.
 */
export async function runLoad(requests: readonly LoadRequest[], concurrency: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = new Array(requests.length);
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let index = next++; index < requests.length; index = next++) {
          const sentAt = performance.now();
          const status = await send(requests[index]!, agent);
          latencies[index] = performance.now() - sentAt;
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const percentile = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  return { sent: requests.length, seconds: round(seconds), rps: Math.round(requests.length / seconds), p50_ms: percentile(0.5), p99_ms: percentile(0.99), statuses };
}

/** One request; resolves with its status once the whole answer has arrived. */
function send({ url, method, headers, body }: LoadRequest, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers: { ...headers, "Content-Length": String(body.byteLength) }, agent }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode ?? 0));
      response.once("error", reject);
    });
    outgoing.once("error", reject);
    outgoing.end(body);
  });
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
