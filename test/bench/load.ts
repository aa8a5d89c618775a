/** A bounded closed-loop load: `concurrency` clients send the given requests as fast as answered. */
export interface LoadResult {
  sent: number;
  seconds: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  statuses: Record<number, number>;
}

export async function runLoad(requests: (() => Request)[], concurrency: number): Promise<LoadResult> {
  const latencies: number[] = new Array(requests.length);
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < requests.length; index = next++) {
        const request = requests[index]!();
        const sentAt = performance.now();
        const response = await fetch(request);
        await response.arrayBuffer();
        latencies[index] = performance.now() - sentAt;
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const percentile = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
  return { sent: requests.length, seconds: round(seconds), rps: Math.round(requests.length / seconds), p50_ms: percentile(0.5), p99_ms: percentile(0.99), statuses };
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
