/**
 * The dashboard benchmark's measured side, in a process of its own (the app reads its database and
 * credentials from the environment at import). The seeded shop is placed by the real recompute and
 * history replay, write-back is approved (the steady state), and an offline session is stored so
 * that authenticate.admin needs no token exchange; then the real route loaders are timed.
 */
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { applyTestEnv } from "../setup/env";
import { DASHBOARD_BENCH_SHOP, DASHBOARD_BENCH_STORE, type LatencyStats } from "./dashboard";

const SHOP = DASHBOARD_BENCH_SHOP;
const customers = Number(process.env.BENCH_CUSTOMERS);
const calls = Number(process.env.BENCH_CALLS);
const WARM_UP_CALLS = 5;

applyTestEnv(process.env.DATABASE_URL!);
// Nothing here may reach Shopify (a token exchange, an Admin API call): it would be timed as the loaders' cost.
const networkCalls: string[] = [];
globalThis.fetch = async (input: RequestInfo | URL) => {
  const url = input instanceof Request ? input.url : String(input);
  networkCalls.push(url);
  throw new Error(`the dashboard bench must not use the network (${url})`);
};

const { Session } = await import("@shopify/shopify-api");
const { default: prisma } = await import("~/db.server");
const { sessionStorage } = await import("~/shopify.server");
const { recomputeShop } = await import("~/lifecycle-models/recompute.server");
const { replayShopHistory } = await import("~/lifecycle-models/history.server");
const { loader: dashboardLoader } = await import("~/routes/app._index");
const { loader: customerListLoader } = await import("~/routes/app.customers._index");
const { BROWSER_USER_AGENT } = await import("../support/install");

type Loader<T> = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<T>;

const seconds = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

const now = new Date();
const recomputeSeconds = await seconds(() => recomputeShop(prisma, SHOP, now));
const replaySeconds = await seconds(async () => {
  if (!(await replayShopHistory(prisma, SHOP))) throw new Error("the history replay did not run");
});
// Before approval the dashboard previews a write-back dry run, once per shop; merchants live with the approved page.
await prisma.lifecycleSettings.update({ where: { shop: SHOP }, data: { writeBackApprovedAt: now } });
// The offline session authenticate.admin loads: active and far from expiry, so no token exchange or refresh.
await sessionStorage.storeSession(
  new Session({
    id: `offline_${SHOP}`,
    shop: SHOP,
    state: "bench",
    isOnline: false,
    accessToken: "dashboard-bench-offline-token",
    scope: process.env.SCOPES,
    expires: new Date(now.getTime() + 365 * 86_400_000),
  }),
);

/** One loader call, timed from the signed request to the loader's data; signing is not timed. */
async function call<T>(loader: Loader<T>, path: string): Promise<{ ms: number; data: T }> {
  const request = await setUpValidRequest(
    { type: RequestType.Bearer, store: DASHBOARD_BENCH_STORE, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`, { headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );
  const started = performance.now();
  let data: T;
  try {
    data = await loader({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) throw new Error(`${path} answered ${thrown.status}`);
    throw thrown;
  }
  const ms = performance.now() - started;
  if (networkCalls.length > 0) throw new Error(`${path} tried the network: ${networkCalls.join(", ")}`);
  return { ms, data };
}

/** Warms up on every path, then times `calls` calls spread evenly over them, one at a time. */
async function measure<T>(loader: Loader<T>, paths: string[]): Promise<LatencyStats> {
  for (let index = 0; index < Math.max(WARM_UP_CALLS, paths.length); index += 1) await call(loader, paths[index % paths.length]!);
  const byPath = new Map<string, number[]>(paths.map((path) => [path, []]));
  for (let index = 0; index < calls; index += 1) {
    const path = paths[index % paths.length]!;
    byPath.get(path)!.push((await call(loader, path)).ms);
  }
  const all = [...byPath.values()].flat();
  return {
    p50_ms: round(percentile(all, 0.5)),
    p95_ms: round(percentile(all, 0.95)),
    max_ms: round(Math.max(...all)),
    median_ms_by_query: Object.fromEntries(
      [...byPath].map(([path, times]) => [path.split("?")[1]?.replace(/after=[^&]+/, "after=<page 1 next>") ?? "default", round(percentile(times, 0.5))]),
    ),
  };
}

// The steady state is measured: the shop placed, its history replayed, every customer counted.
const dashboardPaths = ["/app?period=30", "/app?period=90", "/app?period=365"];
const { data: dashboard } = await call(dashboardLoader, dashboardPaths[1]!);
if (dashboard.dashboard.totalCustomers !== customers || !dashboard.dashboard.historyReplayed || dashboard.lifecycle.writeBack.preview !== null) {
  throw new Error(
    `the dashboard is not in its steady state: ${JSON.stringify({ total: dashboard.dashboard.totalCustomers, replayed: dashboard.dashboard.historyReplayed })}`,
  );
}

// A search for part of one customer's email, one for a last name that many share, and the second page of the default list.
const someone = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: String(7_000_000_000_000 + Math.floor(customers / 2)) } } });
const search = someone.email!.split("@")[0]!;
const { data: first } = await call(customerListLoader, "/app/customers");
if (first.rows.length === 0 || !first.next) throw new Error("the customer list has no second page");
const customerPaths = [
  "/app/customers",
  "/app/customers?stage=loyal",
  "/app/customers?stage=prospect",
  "/app/customers?band=large",
  "/app/customers?rfm=CHAMPIONS",
  "/app/customers?sort=name",
  `/app/customers?${new URLSearchParams({ q: search })}`,
  `/app/customers?${new URLSearchParams({ q: someone.lastName!.toLowerCase() })}`,
  `/app/customers?${new URLSearchParams({ after: first.next })}`,
];
if ((await call(customerListLoader, customerPaths[6]!)).data.rows.every((row) => row.customerId !== someone.id))
  throw new Error(`searching "${search}" did not find its customer`);

const result = {
  setup_seconds: round(recomputeSeconds + replaySeconds),
  recompute_seconds: round(recomputeSeconds),
  replay_seconds: round(replaySeconds),
  dashboard: await measure(dashboardLoader, dashboardPaths),
  customer_list: await measure(customerListLoader, customerPaths),
};
await prisma.$disconnect();
process.send?.(result);

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!;
}

function round(value: number) {
  return Math.round(value * 100) / 100;
}
