// `npm run worker`: this process works through the webhook inbox and the job queue and serves no
// pages. It loads the same production build as `npm start` (whose entry starts the worker), so web
// and worker instances always run the same code; scale each on its own, with JOBS_WORKER=off on
// the web instances. SIGTERM lets running work finish or hands it back (app/app-worker.server.ts).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const build = fileURLToPath(new URL("../build/server/index.js", import.meta.url));
if (!existsSync(build)) {
  console.error("No production build: run `npm run build` first (the worker runs the same build as `npm start`).");
  process.exit(1);
}
// As remix-serve does for `npm start`.
process.env.NODE_ENV ??= "production";
// This process exists to work: a JOBS_WORKER=off meant for the web instances does not apply here.
process.env.JOBS_WORKER = "on";
// Ctrl-C in a terminal stops as a deploy would.
process.once("SIGINT", () => process.kill(process.pid, "SIGTERM"));
await import(pathToFileURL(build).href);
