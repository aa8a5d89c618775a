/**
 * The peer the webhook benchmark compares against: a webhook route written as Shopify's app
 * template writes it — authenticate.webhook (which loads the shop's offline session, refreshing
 * it when needed), then the database write inline, one delivery at a time — served by the same
 * Express server as the app. Bench-only code.
 */
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { createReadableStreamFromReadable } from "@remix-run/node";

export async function addTemplateWebhookRoute(app: Express, path: string) {
  const { authenticate } = await import("~/shopify.server");
  const { default: db } = await import("~/db.server");

  app.post(path, async (req: ExpressRequest, res: ExpressResponse) => {
    try {
      const { shop, topic, webhookId, apiVersion, payload } = await authenticate.webhook(toWebRequest(req));
      // Shopify retries and sometimes delivers twice: the template's write tolerates a duplicate.
      await db.webhookDelivery.upsert({
        where: { webhookId },
        create: { shop, topic, webhookId, apiVersion, payload: JSON.stringify(payload) },
        update: {},
      });
      res.status(200).end();
    } catch (error) {
      if (error instanceof Response) res.status(error.status).end();
      else res.status(500).end();
    }
  });
}

// As @remix-run/express turns an Express request into a Fetch request.
function toWebRequest(req: ExpressRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) for (const item of [value ?? []].flat()) headers.append(name, item);
  return new Request(`http://${req.headers.host}${req.originalUrl}`, {
    method: req.method,
    headers,
    body: createReadableStreamFromReadable(req),
    duplex: "half",
  } as RequestInit);
}
