/** The app's webhook subscriptions, read from shopify.app.toml as Shopify reads them. */
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";

export interface WebhookSubscription {
  topic: string;
  /** As written in the toml ("/webhooks/orders/create"), or absolute when read with an app URL. */
  uri: string;
  /** customers/data_request, customers/redact and shop/redact: declared under compliance_topics. */
  compliance: boolean;
}

export class WebhookConfigError extends Error {
  override readonly name = "WebhookConfigError";
}

/** Every topic and compliance topic with its URI; relative URIs are resolved against `appUrl` when given. */
export function readSubscriptions(tomlPath: string, appUrl?: string): WebhookSubscription[] {
  const config = parse(readFileSync(tomlPath, "utf8")) as { webhooks?: { subscriptions?: unknown } };
  const entries = config.webhooks?.subscriptions;
  if (!Array.isArray(entries)) throw new WebhookConfigError(`${tomlPath} has no [[webhooks.subscriptions]]`);
  return entries.flatMap((entry: Record<string, unknown>, index) => {
    if (typeof entry.uri !== "string" || entry.uri === "") throw new WebhookConfigError(`${tomlPath}: subscription ${index + 1} has no uri`);
    const uri = appUrl ? new URL(entry.uri, appUrl).toString() : entry.uri;
    const topics = stringList(entry.topics, tomlPath, index);
    const compliance = stringList(entry.compliance_topics, tomlPath, index);
    return [
      ...topics.map((topic) => ({ topic, uri, compliance: false })),
      ...compliance.map((topic) => ({ topic, uri, compliance: true })),
    ];
  });
}

function stringList(value: unknown, tomlPath: string, index: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new WebhookConfigError(`${tomlPath}: subscription ${index + 1} topics must be a list of strings`);
  }
  return value;
}
