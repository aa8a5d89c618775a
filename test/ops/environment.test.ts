import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "~/env.server";

const app = { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET_KEY, SHOPIFY_APP_URL: APP_URL };
const asEnv = (variables: Record<string, string | undefined>) => variables as NodeJS.ProcessEnv;

/** What the process prints when it refuses to start. */
function refusal(variables: Record<string, string | undefined>): string {
  try {
    parseEnv(asEnv(variables));
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as Error).message;
  }
  throw new Error("the environment was accepted");
}

describe("the environment at startup", () => {
  it("names every variable that is unset or empty, and what it is, the same either way", () => {
    for (const missing of [undefined, ""]) {
      const message = refusal({ ...app, SHOPIFY_API_KEY: missing, SHOPIFY_API_SECRET: missing, SHOPIFY_APP_URL: missing });
      expect(message).toContain("SHOPIFY_API_KEY: SHOPIFY_API_KEY is required (the app's client id)");
      expect(message).toContain("SHOPIFY_API_SECRET: SHOPIFY_API_SECRET is required (the app's client secret)");
      expect(message).toContain("SHOPIFY_APP_URL: SHOPIFY_APP_URL is required (the app's public URL)");
      expect(message).not.toContain("Required");
    }
  });

  it("names an invalid value's variable and the values it takes", () => {
    expect(refusal({ ...app, SHOPIFY_APP_URL: "localhost" })).toContain("SHOPIFY_APP_URL: SHOPIFY_APP_URL must be the app's public URL");
    expect(refusal({ ...app, JOBS_WORKER: "maybe" })).toMatch(/JOBS_WORKER: .*'on' \| 'off'/);
    expect(refusal({ ...app, DATABASE_URL: "mysql://db/lifecycle" })).toContain(
      "DATABASE_URL: DATABASE_URL must be a SQLite file (file:…), a libsql URL or a PostgreSQL URL (postgresql://…)",
    );
    expect(refusal({ ...app, DATABASE_POOL_SIZE: "many" })).toContain("DATABASE_POOL_SIZE: DATABASE_POOL_SIZE must be a number");
  });

  it("takes a PostgreSQL database and its pool size", () => {
    const env = parseEnv(asEnv({ ...app, DATABASE_URL: "postgresql://app:secret@db:5432/lifecycle", DATABASE_POOL_SIZE: "25" }));
    expect(env).toMatchObject({ DATABASE_URL: "postgresql://app:secret@db:5432/lifecycle", DATABASE_POOL_SIZE: 25 });
    expect(parseEnv(asEnv({ ...app })).DATABASE_POOL_SIZE).toBe(10);
  });

  it("runs the jobs on pg-boss on PostgreSQL unless JOB_ENGINE=table, on the job table on SQLite, and refuses pg-boss on SQLite naming JOB_ENGINE", () => {
    const postgres = { ...app, DATABASE_URL: "postgresql://app@db:5432/lifecycle" };
    expect(parseEnv(asEnv(postgres)).JOB_ENGINE).toBe("pg-boss");
    expect(parseEnv(asEnv({ ...postgres, JOB_ENGINE: "table" })).JOB_ENGINE).toBe("table");
    expect(parseEnv(asEnv({ ...postgres, JOB_ENGINE: "pg-boss" })).JOB_ENGINE).toBe("pg-boss");
    expect(parseEnv(asEnv({ ...app })).JOB_ENGINE).toBe("table");
    expect(parseEnv(asEnv({ ...app, DATABASE_URL: "file:/var/lib/lifecycle/app.sqlite" })).JOB_ENGINE).toBe("table");
    for (const sqlite of [undefined, "file:/var/lib/lifecycle/app.sqlite", "libsql://db.example"]) {
      expect(refusal({ ...app, DATABASE_URL: sqlite, JOB_ENGINE: "pg-boss" })).toContain("JOB_ENGINE: JOB_ENGINE=pg-boss needs PostgreSQL (DATABASE_URL=postgresql://…)");
    }
    expect(refusal({ ...postgres, JOB_ENGINE: "graphile" })).toMatch(/JOB_ENGINE: .*'table' \| 'pg-boss'/);
  });

  it("works on several deliveries and jobs at once on PostgreSQL, one of each on SQLite, unless told otherwise", () => {
    const postgres = { ...app, DATABASE_URL: "postgresql://app@db:5432/lifecycle" };
    expect(parseEnv(asEnv(postgres))).toMatchObject({ WORKER_INBOX_CONCURRENCY: 4, WORKER_JOB_CONCURRENCY: 2 });
    expect(parseEnv(asEnv({ ...app }))).toMatchObject({ WORKER_INBOX_CONCURRENCY: 1, WORKER_JOB_CONCURRENCY: 1 });
    expect(parseEnv(asEnv({ ...postgres, WORKER_INBOX_CONCURRENCY: "8", WORKER_JOB_CONCURRENCY: "3" }))).toMatchObject({ WORKER_INBOX_CONCURRENCY: 8, WORKER_JOB_CONCURRENCY: 3 });
    expect(refusal({ ...postgres, WORKER_INBOX_CONCURRENCY: "lots" })).toContain("WORKER_INBOX_CONCURRENCY: WORKER_INBOX_CONCURRENCY must be a number");
    expect(refusal({ ...postgres, WORKER_JOB_CONCURRENCY: "0" })).toContain("WORKER_JOB_CONCURRENCY:");
  });
});
