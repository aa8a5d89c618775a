import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { databaseDialect, databaseUrl } from "./app/db-url";
import { postgresMigrationAdapter } from "./scripts/prisma/postgres-migration-adapter";

// Prisma does not read .env when a config file exists; DATABASE_URL comes from the shell.
// Its scheme picks the schema and migrations: prisma/ for SQLite, prisma/postgresql/ (generated from
// prisma/schema.prisma) for PostgreSQL. The path is absolute: a relative one outside the root is
// silently not read (docs/decisions/0001-database-dialects.md).
const url = databaseUrl();
const postgres = databaseDialect(url) === "postgresql";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "prisma", ...(postgres ? ["postgresql"] : []), "schema.prisma"),
  async adapter() {
    return postgres ? postgresMigrationAdapter(url) : new PrismaLibSQL({ url });
  },
});
