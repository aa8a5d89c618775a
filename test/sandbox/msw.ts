import { http, type HttpHandler } from "msw";
import type { Sandbox } from "./server/sandbox";

/**
 * Routes what the app sends to Shopify (https://<shop>.myshopify.com/…) and to the sandbox's own
 * origin (bulk operation files, staged uploads) into the sandbox, in process.
 */
export function sandboxHandlers(sandbox: Sandbox): HttpHandler[] {
  return [
    http.all(/^https:\/\/[a-z0-9-]+\.myshopify\.com\//, ({ request }) => sandbox.handle(request)),
    http.all(new RegExp(`^${escapeRegExp(sandbox.publicUrl)}/`), ({ request }) => sandbox.handle(request)),
  ];
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
