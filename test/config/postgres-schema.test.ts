import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedPostgresSchema, POSTGRES_SCHEMA, postgresSchema } from "../../scripts/prisma/postgres-schema";

describe("the PostgreSQL schema generated from prisma/schema.prisma", () => {
  it("is committed as the generator writes it (run `npm run prisma:postgres-schema` after editing the SQLite schema)", () => {
    expect(readFileSync(POSTGRES_SCHEMA, "utf8")).toBe(generatedPostgresSchema());
  });

  it("changes the provider, the client's output and every DateTime's type, and nothing else", () => {
    const source = [
      "generator client {",
      '  provider   = "prisma-client-js"',
      '  engineType = "client"',
      "}",
      "datasource db {",
      '  provider = "sqlite"',
      '  url      = "file:./dev.sqlite"',
      "}",
      "model A {",
      "  id        String   @id",
      "  at        DateTime @default(now()) // when",
      "  maybe     DateTime?",
      "  kept      DateTime @db.Date",
      "  count     Int",
      "}",
    ].join("\n");
    const schema = postgresSchema(source);
    expect(schema).toContain('provider = "postgresql"');
    expect(schema).toContain('output     = "../../node_modules/.prisma/client-postgresql"');
    expect(schema).toContain("  at        DateTime @default(now()) @db.Timestamptz(3) // when");
    expect(schema).toContain("  maybe     DateTime? @db.Timestamptz(3)");
    expect(schema).toContain("  kept      DateTime @db.Date\n");
    expect(schema).toContain("  count     Int\n");
    expect(schema).not.toContain("sqlite");
  });
});
