/** The embedded default database for development and tests: a SQLite file beside the schema. */
export const DEFAULT_DATABASE_URL = "file:prisma/dev.sqlite";

/** Why production refuses to start without DATABASE_URL (scripts/check-start-env.mjs says the same before `npm start`). */
export const DATABASE_URL_REQUIRED =
  "DATABASE_URL is required in production (NODE_ENV=production): set it to the app's database, e.g. postgresql://user:password@host:5432/lifecycle, or file:/var/lib/lifecycle/app.sqlite for a small install, and run `npm run setup` with it. Without it the app would use the development file prisma/dev.sqlite.";

export class MissingDatabaseUrlError extends Error {
  override name = "MissingDatabaseUrlError";
}

/** DATABASE_URL; in development and tests the embedded default when it is unset or empty, in production an error. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  if (url) return url;
  if (env.NODE_ENV === "production") throw new MissingDatabaseUrlError(DATABASE_URL_REQUIRED);
  return DEFAULT_DATABASE_URL;
}

export type DatabaseDialect = "sqlite" | "postgresql";

/** PostgreSQL for postgres:// and postgresql:// URLs; SQLite (a file: or libsql URL) otherwise. */
export function databaseDialect(url: string): DatabaseDialect {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}
