/** The embedded default database: a SQLite file beside the schema. DATABASE_URL overrides it. */
export const DEFAULT_DATABASE_URL = "file:prisma/dev.sqlite";

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}
