/**
 * The server side of the webhook benchmark, in its own process so that the load generator does
 * not share its CPU: the production app build plus a plain node:http server for the floor.
 */
import { createServer } from "node:http";
import { startAppServer } from "../sandbox/demo/app-server";

const app = await startAppServer({ port: 0, mode: "production" });
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
  if (message !== "stop") return;
  await app.close();
  plain.close();
  process.exit(0);
});
