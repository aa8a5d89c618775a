import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";
import { databaseUrl } from "./db-url";

declare global {
  // Survives Vite's module reloads in development, so a reload does not open another connection.
  var lifecyclePrisma: PrismaClient | undefined;
}

export function createPrismaClient(url = databaseUrl()): PrismaClient {
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

const prisma = globalThis.lifecyclePrisma ?? createPrismaClient();
if (process.env.NODE_ENV !== "production") globalThis.lifecyclePrisma = prisma;

export default prisma;
