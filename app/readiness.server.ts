import type { PrismaClient } from "@prisma/client";
import prisma from "~/db.server";
import { logEvent } from "~/log.server";

export type Readiness = { ready: true } | { ready: false; reason: string };

type Db = Pick<PrismaClient, "$queryRawUnsafe">;

/**
 * Whether this instance can serve: its database answers and holds the app's schema, with no
 * migration left unfinished (a release that failed half-way must not take traffic).
 */
export async function checkReadiness(db: Db = prisma): Promise<Readiness> {
  let migrations: { finished: unknown; unfinished: unknown }[];
  try {
    migrations = await db.$queryRawUnsafe(
      `SELECT COUNT(finished_at) AS "finished", COUNT(*) - COUNT(finished_at) AS "unfinished" FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
  } catch (error) {
    // The cause goes to the log, not to whoever probes.
    logEvent("error", "readiness.database_unavailable", { error });
    return { ready: false, reason: "database unavailable or not migrated" };
  }
  const counts = migrations[0];
  if (!counts || Number(counts.finished) === 0) return { ready: false, reason: "database not migrated" };
  if (Number(counts.unfinished) > 0) return { ready: false, reason: "a migration is unfinished" };
  return { ready: true };
}
