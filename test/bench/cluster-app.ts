/**
 * One app instance of the cluster benchmark, in a process of its own (the benchmark kills it with
 * SIGKILL): `web` serves the production build as `npm start` does, with JOBS_WORKER=off, so it only
 * acknowledges webhooks; `worker` loads the same build as `npm run worker` does (scripts/worker.mjs),
 * so it works the inbox and the jobs. Either way Shopify's domains are routed to the sandbox process
 * first (shopify-api keeps the fetch it finds at import).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startAppServer } from "../demo/app-server";
import { REPO_ROOT } from "../support/paths";
import { routeShopifyToBenchSandbox } from "./sandbox-server";

const role = process.argv[2];
const sandboxUrl = process.env.BENCH_SANDBOX_URL!;

routeShopifyToBenchSandbox(sandboxUrl);

if (role === "web") {
  process.env.JOBS_WORKER = "off";
  const app = await startAppServer({ port: Number(process.env.BENCH_PORT ?? 0), mode: "production" });
  process.send?.({ url: app.url });
} else if (role === "worker") {
  // As scripts/worker.mjs: the production build, whose server entry starts the worker.
  process.env.JOBS_WORKER = "on";
  const build = path.join(REPO_ROOT, "build", "server", "index.js");
  if (!existsSync(build)) throw new Error(`No production build at ${build}`);
  await import(pathToFileURL(build).href);
  process.send?.({ started: true });
} else {
  throw new Error(`cluster-app: role is web or worker, not ${role}`);
}
