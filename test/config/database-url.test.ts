import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { DATABASE_URL_REQUIRED, DEFAULT_DATABASE_URL, databaseUrl, MissingDatabaseUrlError } from "~/db-url";
import { InvalidEnvironmentError, parseEnv } from "~/env.server";
import { REPO_ROOT } from "../support/paths";

const app = { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET_KEY, SHOPIFY_APP_URL: APP_URL };
// Environments as a shell has them: any variable may be missing, NODE_ENV too.
const asEnv = (variables: Record<string, string | undefined>) => variables as NodeJS.ProcessEnv;

/** This process's environment without the test database, as a shell that never set DATABASE_URL has it. */
function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _database, NODE_ENV: _mode, ...shell } = process.env;
  return asEnv({ ...shell, ...extra });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, env, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe("the database in production", () => {
  it("parseEnv refuses a production environment without DATABASE_URL, saying why", () => {
    for (const missing of [{}, { DATABASE_URL: "" }, { DATABASE_URL: "  " }]) {
      expect(() => parseEnv(asEnv({ ...app, NODE_ENV: "production", ...missing }))).toThrow(InvalidEnvironmentError);
      expect(() => parseEnv(asEnv({ ...app, NODE_ENV: "production", ...missing }))).toThrow(DATABASE_URL_REQUIRED);
      expect(() => databaseUrl(asEnv({ NODE_ENV: "production", ...missing }))).toThrow(MissingDatabaseUrlError);
    }
    // Listed with whatever else is missing, not instead of it.
    expect(() => parseEnv(asEnv({ NODE_ENV: "production" }))).toThrow(/SHOPIFY_API_KEY[\s\S]*DATABASE_URL is required in production/);
    expect(parseEnv(asEnv({ ...app, NODE_ENV: "production", DATABASE_URL: "file:/srv/app.sqlite" })).DATABASE_URL).toBe("file:/srv/app.sqlite");
  });

  it("development and tests keep the embedded default", () => {
    for (const NODE_ENV of ["development", "test", undefined]) {
      expect(parseEnv(asEnv({ ...app, NODE_ENV })).DATABASE_URL).toBe(DEFAULT_DATABASE_URL);
      expect(databaseUrl(asEnv({ NODE_ENV, DATABASE_URL: "" }))).toBe(DEFAULT_DATABASE_URL);
    }
  });

  it("`npm start` without DATABASE_URL refuses to start, with the reason and nothing else, whether NODE_ENV says production or is unset (remix-serve's default)", () => {
    for (const extra of [{ NODE_ENV: "production" }, {}] as Record<string, string>[]) {
      const started = run("npm", ["start", "--silent"], shellEnv(extra));
      expect(started.status).toBe(1);
      // It stopped before remix-serve: no complaint about the build, no server.
      expect(started.stderr.trim()).toBe(DATABASE_URL_REQUIRED);
    }
  });

  it("the start check lets a production start with DATABASE_URL, and a development one without, through", () => {
    const check = path.join("scripts", "check-start-env.mjs");
    expect(run(process.execPath, [check], shellEnv({ NODE_ENV: "production", DATABASE_URL: "file:/srv/app.sqlite" })).status).toBe(0);
    expect(run(process.execPath, [check], shellEnv({ NODE_ENV: "development" }))).toMatchObject({ status: 0, stderr: "" });
  });

  it("`npm run setup`'s migrations in production without DATABASE_URL refuse too, and create no development database", () => {
    const devDatabase = path.join(REPO_ROOT, "prisma", "dev.sqlite");
    const existed = existsSync(devDatabase);
    const migrated = run(process.execPath, [path.join("node_modules", "prisma", "build", "index.js"), "migrate", "deploy"], shellEnv({ NODE_ENV: "production" }));
    expect(migrated.status).not.toBe(0);
    expect(migrated.stdout + migrated.stderr).toContain(DATABASE_URL_REQUIRED);
    expect(existsSync(devDatabase)).toBe(existed);
  });
});
