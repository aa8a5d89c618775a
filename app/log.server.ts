import { z } from "zod";

/*
 * Structured logs: one JSON line per event, with the shop, the webhook topic or job kind, the
 * duration and the outcome, for an operator's log search. Never a token or personal data: the
 * fields are ours (shop domains, ids, topics, kinds, numbers), and free text (an error's message,
 * which may quote Shopify or a payload) is scrubbed of access tokens and email addresses.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export const LogLevel = z.enum(LOG_LEVELS);
type Level = Exclude<(typeof LOG_LEVELS)[number], "silent">;

export interface LogFields {
  shop?: string;
  topic?: string;
  job?: string;
  durationMs?: number;
  outcome?: string;
  error?: unknown;
  [field: string]: unknown;
}

/** An error as text that can be kept (a job's lastError) or shown: its class and message, bounded. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 2000);
  return String(error).slice(0, 2000);
}

const SECRETS: [RegExp, string][] = [
  [/\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi, "Bearer [redacted]"],
  // Shopify's access, refresh, custom-app and storefront tokens.
  [/\b(shp(?:at|ua|ca|ss|pa|rt))_[A-Za-z0-9]{8,}/g, "$1_[redacted]"],
  [/\b((?:access|refresh|id)_?token|secret|password)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, "$1$2[redacted]"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
];

/** Free text with tokens and email addresses taken out. */
export function scrub(text: string): string {
  return SECRETS.reduce((scrubbed, [pattern, replacement]) => scrubbed.replace(pattern, replacement), text);
}

const RANK: Record<(typeof LOG_LEVELS)[number], number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 50 };
let threshold: (typeof LOG_LEVELS)[number] | undefined;

/** LOG_LEVEL, read once (env.server.ts refuses an invalid one at startup). */
function currentThreshold() {
  threshold ??= LogLevel.catch("info").parse(process.env.LOG_LEVEL || "info");
  return threshold;
}

/** For tests: read LOG_LEVEL again. */
export function resetLogLevel() {
  threshold = undefined;
}

export function logEvent(level: Level, event: string, fields: LogFields = {}): void {
  if (RANK[level] < RANK[currentThreshold()]) return;
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, event };
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (name === "error") line.error = scrub(describeError(value));
    else if (typeof value === "string") line[name] = scrub(value);
    else if (name === "durationMs" && typeof value === "number") line.durationMs = Math.round(value * 10) / 10;
    else line[name] = value;
  }
  (RANK[level] >= RANK.warn ? process.stderr : process.stdout).write(`${JSON.stringify(line)}\n`);
}
