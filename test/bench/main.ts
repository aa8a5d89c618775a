/**
 * `npm run bench -- <name> [--json] [options]`: speed goals live here, never in timed tests.
 * Each benchmark prints a human summary, or one JSON object with --json.
 */
import { runBackfillBench } from "./backfill";
import { runClusterBench } from "./cluster";
import { runDashboardBench } from "./dashboard";
import { runOrderBench } from "./order";
import { runRecomputeBench } from "./recompute";
import { runWebhooksBench } from "./webhooks";
import { runWritebackBench } from "./writeback";

type Bench = (args: string[]) => Promise<Record<string, unknown>>;

const benches: Record<string, { describe: string; run: Bench }> = {
  backfill: {
    describe: "rows per second of the app's backfill of a generated store over loopback, vs a one-transaction insert loop; peak RSS",
    run: runBackfillBench,
  },
  cluster: {
    describe:
      "the app as a cluster on a throwaway PostgreSQL: 2 web instances, 2 pg-boss workers, 200 sandbox shops (one with 100,000 customers importing), 50,000 signed deliveries with duplicates, reordering and retries; kill -9 of a worker and a web instance, a PostgreSQL restart; lost and doubled must be 0, small shops' lag p95 < 5 s",
    run: runClusterBench,
  },
  dashboard: {
    describe: "p50/p95 ms of the real dashboard and customer-list loaders on a large placed shop, one call at a time; target p95 < 200 ms",
    run: runDashboardBench,
  },
  order: {
    describe: "database ms the app spends on one order (webhooks, upsert, recompute, points, write-back, loyalty metafields) in a 100,000-customer shop; target < 50 ms",
    run: runOrderBench,
  },
  recompute: {
    describe: "seconds for a full lifecycle recompute of a synthetic shop, vs a one-transaction read-and-update floor; peak RSS at --customers and --compare (a third) to show it flat; --db postgres",
    run: runRecomputeBench,
  },
  webhooks: {
    describe:
      "signed deliveries acknowledged per second by the real webhook route, vs a no-op route, a route written as Shopify's app template writes it (template_rps) and plain node:http; targets: ack_rps ≥ 50 % of noop_rps and > template_rps, p99 < 50 ms, stored = distinct",
    run: runWebhooksBench,
  },
  writeback: {
    describe: "Admin API points of a write-back after a day of store activity, vs writing only the changed customers with the cheapest mutations",
    run: runWritebackBench,
  },
};

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const json = rest.includes("--json");
  const args = rest.filter((arg) => arg !== "--json");
  const bench = name ? benches[name] : undefined;
  if (!bench) {
    console.error(
      `usage: npm run bench -- <name> [--json]\n\n${Object.entries(benches)
        .map(([key, value]) => `  ${key.padEnd(12)} ${value.describe}`)
        .join("\n")}`,
    );
    process.exit(name ? 2 : 0);
  }
  const result = await bench.run(args);
  if (json) console.log(JSON.stringify(result));
  else
    console.log(
      Object.entries(result)
        .map(([key, value]) => `${key.padEnd(14)} ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
        .join("\n"),
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
