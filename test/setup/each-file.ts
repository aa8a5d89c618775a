import { randomUUID } from "node:crypto";
import { afterAll, afterEach } from "vitest";
import { freshTestDatabase } from "./database";
import { applyTestEnv } from "./env";
import { mswServer } from "./msw";

const database = await freshTestDatabase(`file-${randomUUID()}`);
applyTestEnv(database.url);

// Listening here, at the top level, patches fetch before shopify-api captures it on import.
mswServer.listen({ onUnhandledRequest: "error" });
afterEach(() => mswServer.resetHandlers());
afterAll(async () => {
  mswServer.close();
  // Imported here: at the top it would open the database before applyTestEnv names this file's.
  const { closeBulkWriters } = await import("~/db.server");
  closeBulkWriters();
  // pg-boss's own connections (engines.server.ts), before the file's database is dropped.
  for (const engine of globalThis.pgBossEngines?.values() ?? []) await engine.close();
  globalThis.pgBossEngines = undefined;
  const prisma = globalThis.lifecyclePrisma;
  if (prisma) await prisma.$disconnect();
  globalThis.lifecyclePrisma = undefined;
  await database.remove();
});
