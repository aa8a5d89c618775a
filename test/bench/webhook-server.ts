/**
 * The server side of the webhook benchmark, in its own process so that the load generator does
 * not share its CPU: the production app build (with the template-style peer route beside it) plus
 * a plain node:http server for the floor.
 */
import { createServer } from "node:http";
import { startAppServer } from "../demo/app-server";
import { signedDelivery, TEMPLATE_WEBHOOK_PATH } from "./webhook-deliveries";
import { addTemplateWebhookRoute } from "./webhook-template-route";

const app = await startAppServer({ port: 0, mode: "production", beforeApp: (express) => addTemplateWebhookRoute(express, TEMPLATE_WEBHOOK_PATH) });
const plain = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.end("ok");
  });
});
await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", () => resolve()));
const address = plain.address();
const nodeUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

process.send?.({ appUrl: app.url, nodeUrl });
process.on("message", async (message) => {
  // The parent asks for this process's CPU time around each phase: server cost per request, free of scheduling noise.
  if (message === "cpu") return void process.send?.({ cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 });
  if (typeof message === "object" && message && "authenticate" in message) {
    return void process.send?.({ authenticateCpuMs: await authenticateCost(Number(message.authenticate)) });
  }
  if (message !== "stop") return;
  await app.close();
  plain.close();
  process.exit(0);
});

/**
 * CPU ms per call of authenticate.webhook by itself (the app's own shopifyApp, loaded beside the
 * build): the requests are made first, so only the library's work is timed, after a warm-up.
 */
async function authenticateCost(calls: number): Promise<number> {
  const { authenticate } = await import("~/shopify.server");
  const requests = (count: number, prefix: string) =>
    Array.from({ length: count }, (_, index) => signedDelivery(`${prefix}-${index}`, index).request(`${app.url}/webhooks/orders/create`));
  for (const request of requests(500, "auth-warmup")) await authenticate.webhook(request);
  const measured = requests(calls, "auth");
  const before = process.cpuUsage();
  for (const request of measured) await authenticate.webhook(request);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / calls;
}
