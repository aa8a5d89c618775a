import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

export type FetchHandler = (request: Request) => Promise<Response>;

export interface RunningHttpServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves a fetch-style handler (Request → Response) over node:http on loopback. */
export async function serveFetchHandler(handler: FetchHandler, options: { port: number; host?: string }): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((incoming, outgoing) => {
    void respond(handler, incoming, outgoing, host);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(handler: FetchHandler, incoming: IncomingMessage, outgoing: ServerResponse, host: string) {
  try {
    const response = await handler(toRequest(incoming, host));
    const headers: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      headers[name] = name === "set-cookie" ? response.headers.getSetCookie() : value;
    });
    outgoing.writeHead(response.status, headers);
    if (!response.body) return void outgoing.end();
    Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>).pipe(outgoing);
  } catch (error) {
    console.error("[sandbox] request failed", error);
    if (!outgoing.headersSent) outgoing.writeHead(500, { "Content-Type": "text/plain" });
    outgoing.end("sandbox error");
  }
}

function toRequest(incoming: IncomingMessage, host: string): Request {
  const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(url, {
    method: incoming.method,
    headers,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs this to stream a request body.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}
