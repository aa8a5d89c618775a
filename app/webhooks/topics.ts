/**
 * The webhook topics the app applies from its inbox. Each has its processor (process.server.ts) and
 * the payload fields kept after it ran (retention.server.ts): both tables are typed by this list,
 * so a topic added to one and not the other does not compile.
 */
export const PROCESSED_TOPICS = [
  "app/uninstalled",
  "app/scopes_update",
  "shop/redact",
  "customers/create",
  "customers/update",
  "customers/delete",
  "customers/redact",
  "customers/data_request",
  "orders/create",
  "orders/updated",
  "orders/paid",
  "orders/cancelled",
  "refunds/create",
  "bulk_operations/finish",
] as const;

export type ProcessedTopic = (typeof PROCESSED_TOPICS)[number];

export function isProcessedTopic(topic: string): topic is ProcessedTopic {
  return (PROCESSED_TOPICS as readonly string[]).includes(topic);
}
