/**
 * Writes prisma/postgresql/schema.prisma from prisma/schema.prisma, the one schema source
 * (docs/decisions/0001-database-dialects.md): the PostgreSQL provider, a client generated to a path
 * of its own, and every DateTime as timestamptz(3) so times read back in SQL-built JSON carry their
 * offset. A test fails when the committed file differs (test/config/postgres-schema.test.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const SQLITE_SCHEMA = path.join(ROOT, "prisma", "schema.prisma");
export const POSTGRES_SCHEMA = path.join(ROOT, "prisma", "postgresql", "schema.prisma");

export function postgresSchema(source: string): string {
  const header = [
    "// GENERATED from prisma/schema.prisma by scripts/prisma/postgres-schema.ts: edit that file and",
    "// run `npm run prisma:postgres-schema`. See docs/decisions/0001-database-dialects.md.",
    "",
  ].join("\n");
  let schema = source
    .replace(/(generator client \{[^}]*?)\n\}/, (_, body: string) => `${body}\n  output     = "../../node_modules/.prisma/client-postgresql"\n}`)
    .replace(/provider = "sqlite"/, 'provider = "postgresql"')
    .replace(/url\s+= "file:[^"]*"/, 'url      = "postgresql://localhost:5432/lifecycle"')
    .replace(/^(\s+\w+\s+DateTime\??)([^\n/]*)(\/\/[^\n]*)?$/gm, (_, field: string, attributes: string, comment?: string) =>
      attributes.includes("@db.") ? _ : `${field}${attributes.trimEnd()} @db.Timestamptz(3)${comment ? ` ${comment}` : ""}`,
    );
  if (schema === source) throw new Error("prisma/schema.prisma did not have the expected shape");
  schema = schema.replace(/^\/\/ SQLite is the embedded default\.[^\n]*\n(\/\/[^\n]*\n)*/, "");
  return header + schema;
}

export const generatedPostgresSchema = () => postgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));

if (import.meta.url === `file://${process.argv[1]}`) writeFileSync(POSTGRES_SCHEMA, generatedPostgresSchema());
