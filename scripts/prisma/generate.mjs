// Generates both Prisma clients (docs/decisions/0001-database-dialects.md): the SQLite one as
// @prisma/client and the PostgreSQL one beside it. Prisma copies a runtime of its own next to a
// client generated to another folder; the PostgreSQL client is pointed at @prisma/client's runtime
// instead, so both share one Prisma.sql class: the app builds its SQL fragments with
// @prisma/client's `Prisma`, and a client on another runtime would bind a fragment as a value.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
const run = (...args) => execFileSync(process.execPath, [prisma, ...args], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });

run("generate", "--schema", path.join("prisma", "schema.prisma"));
run("generate", "--schema", path.join("prisma", "postgresql", "schema.prisma"));

const client = path.join(root, "node_modules", ".prisma", "client-postgresql", "index.js");
const source = readFileSync(client, "utf8");
const shared = source.replaceAll("require('./runtime/client.js')", "require('@prisma/client/runtime/client.js')");
if (!shared.includes("require('@prisma/client/runtime/client.js')")) throw new Error(`${client}: the runtime require was not found`);
writeFileSync(client, shared);
