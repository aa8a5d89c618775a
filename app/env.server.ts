import { z } from "zod";
import { DATABASE_URL_REQUIRED, databaseDialect, databaseUrl, DEFAULT_DATABASE_URL } from "./db-url";
import { LogLevel } from "./log.server";

// Unset and empty say the same thing: which variable, and what it is.
const required = (message: string) => z.string({ required_error: message }).min(1, message);

/**
 * The app's configuration, parsed once at the boundary. `shopify app dev` supplies the
 * SHOPIFY_* values; the sandbox demo and the tests set their own.
 */
const EnvSchema = z.object({
  SHOPIFY_API_KEY: required("SHOPIFY_API_KEY is required (the app's client id)"),
  SHOPIFY_API_SECRET: required("SHOPIFY_API_SECRET is required (the app's client secret)"),
  SHOPIFY_APP_URL: required("SHOPIFY_APP_URL is required (the app's public URL)").url("SHOPIFY_APP_URL must be the app's public URL"),
  SCOPES: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(",").map((scope) => scope.trim()).filter(Boolean) : undefined)),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  // shopify-app-remix reads the same variable for its bounce page; the sandbox serves a stand-in.
  APP_BRIDGE_URL: z.string().url().default("https://cdn.shopify.com/shopifycloud/app-bridge.js"),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => !url?.trim() || /^(file:|libsql:|wss?:|https?:|postgres(ql)?:\/\/)/i.test(url.trim()), {
      message: "DATABASE_URL must be a SQLite file (file:…), a libsql URL or a PostgreSQL URL (postgresql://…)",
    }),
  // Connections each process keeps to PostgreSQL (web and worker alike).
  DATABASE_POOL_SIZE: z.coerce.number({ invalid_type_error: "DATABASE_POOL_SIZE must be a number" }).int().min(1).max(200).default(10),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // "off" makes a web-only instance: it stores deliveries and serves pages, another process does the work.
  JOBS_WORKER: z.enum(["on", "off"]).default("on"),
  // What runs the jobs (app/jobs/engines.server.ts reads it): on PostgreSQL pg-boss unless "table"; on SQLite the table engine only.
  JOB_ENGINE: z.enum(["table", "pg-boss"]).optional(),
  // How many deliveries and jobs a worker process works on at once; by default 4 and 2 on PostgreSQL, 1 and 1 on SQLite (one writer).
  WORKER_INBOX_CONCURRENCY: z.coerce.number({ invalid_type_error: "WORKER_INBOX_CONCURRENCY must be a number" }).int().min(1).max(32).optional(),
  WORKER_JOB_CONCURRENCY: z.coerce.number({ invalid_type_error: "WORKER_JOB_CONCURRENCY must be a number" }).int().min(1).max(16).optional(),
  // How much the JSON logs say (log.server.ts reads it too, for code that runs before this parse).
  LOG_LEVEL: LogLevel.default("info"),
})
  .superRefine((value, context) => {
    if (value.JOB_ENGINE === "pg-boss" && databaseDialect(value.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL) !== "postgresql")
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["JOB_ENGINE"],
        message: "JOB_ENGINE=pg-boss needs PostgreSQL (DATABASE_URL=postgresql://…); on SQLite the jobs run on the app's job table: unset JOB_ENGINE or set it to table",
      });
  })
  .transform((value) => {
    const url = value.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
    const postgres = databaseDialect(url) === "postgresql";
    return {
      ...value,
      JOB_ENGINE: value.JOB_ENGINE ?? defaultJobEngine(url),
      WORKER_INBOX_CONCURRENCY: value.WORKER_INBOX_CONCURRENCY ?? (postgres ? 4 : 1),
      WORKER_JOB_CONCURRENCY: value.WORKER_JOB_CONCURRENCY ?? (postgres ? 2 : 1),
    };
  });

/** pg-boss on PostgreSQL, the app's job table on SQLite (where pg-boss cannot run). */
export function defaultJobEngine(url: string): "table" | "pg-boss" {
  return databaseDialect(url) === "postgresql" ? "pg-boss" : "table";
}

export type Env = z.infer<typeof EnvSchema> & { DATABASE_URL: string };

export class InvalidEnvironmentError extends Error {
  override name = "InvalidEnvironmentError";
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  const problems = result.success ? [] : result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  // A production app never falls back to the development database.
  if (source.NODE_ENV === "production" && !source.DATABASE_URL?.trim()) problems.push(`  DATABASE_URL: ${DATABASE_URL_REQUIRED}`);
  if (!result.success || problems.length > 0) throw new InvalidEnvironmentError(`Invalid environment:\n${problems.join("\n")}`);
  return { ...result.data, DATABASE_URL: databaseUrl(source) };
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
