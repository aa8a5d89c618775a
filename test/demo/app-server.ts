import { existsSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { REPO_ROOT } from "../support/paths";

export interface AppServerOptions {
  port: number;
  host?: string;
  /** development: Vite compiles on demand (no build step); production: serves `npm run build`'s output. */
  mode: "development" | "production";
  /**
   * Origins allowed to frame the app besides Shopify admin's. Shopify's frame-ancestors header names
   * admin.shopify.com; the sandbox admin stands in for it, so it is added here (and only here).
   */
  extraFrameAncestors?: string[];
  /** Routes served before the app's (benchmarks add their peers here). */
  beforeApp?: (app: express.Express) => void | Promise<void>;
}

export interface RunningAppServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The app behind Express, as `remix-serve` would run it but in this process, so that the sandbox's
 * fetch routing (installed before the app is loaded) is what the Shopify libraries use.
 */
export async function startAppServer(options: AppServerOptions): Promise<RunningAppServer> {
  const host = options.host ?? "127.0.0.1";
  const app = express();
  app.disable("x-powered-by");
  if (options.extraFrameAncestors?.length) app.use(allowFrameAncestors(options.extraFrameAncestors));
  await options.beforeApp?.(app);

  let closeVite: () => Promise<void> = async () => {};
  if (options.mode === "development") {
    const vite = await import("vite");
    const viteServer = await vite.createServer({
      root: REPO_ROOT,
      server: { middlewareMode: true, hmr: false },
      appType: "custom",
      logLevel: "warn",
    });
    closeVite = () => viteServer.close();
    app.use(viteServer.middlewares);
    app.all(
      "*",
      createRequestHandler({
        build: () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
        mode: "development",
      }),
    );
  } else {
    const serverBuild = path.join(REPO_ROOT, "build", "server", "index.js");
    if (!existsSync(serverBuild)) throw new Error(`No production build at ${serverBuild}: run \`npm run build\` first`);
    const build = (await import(pathToFileURL(serverBuild).href)) as ServerBuild;
    app.use("/assets", express.static(path.join(REPO_ROOT, "build", "client", "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(REPO_ROOT, "build", "client"), { maxAge: "1h" }));
    app.all("*", createRequestHandler({ build, mode: "production" }));
  }

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, host, () => resolve(listening)).on("error", reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closeVite();
    },
  };
}

function allowFrameAncestors(origins: string[]): express.RequestHandler {
  return (_request, response, next) => {
    const setHeader = response.setHeader.bind(response);
    response.setHeader = (name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() === "content-security-policy" && typeof value === "string") {
        value = value.replace(/frame-ancestors ([^;]*)/, (_match, list: string) => `frame-ancestors ${list} ${origins.join(" ")}`);
      }
      return setHeader(name, value);
    };
    next();
  };
}
