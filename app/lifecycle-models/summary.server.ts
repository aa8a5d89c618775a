import type { PrismaClient } from "@prisma/client";
import { dryRun } from "~/write-back/write-back.server";
import { lifecycleSettings, storedRhythm } from "./settings.server";

/** What the dashboard shows besides its numbers: how the thresholds were found, and the state of write-back. */
export async function lifecycleSummary(db: PrismaClient, shop: string) {
  const settings = await lifecycleSettings(db, shop);
  const [segments, lastRuns] = await Promise.all([
    db.managedSegment.count({ where: { shop } }),
    db.writeBackRun.findMany({ where: { shop }, orderBy: { id: "desc" }, take: 3 }),
  ]);
  const preview = settings.writeBackApprovedAt || !settings.lastFullRunAt ? null : await dryRun(db, shop);
  return {
    computedAt: settings.lastFullRunAt?.toISOString() ?? null,
    rhythm: storedRhythm(settings).explanation,
    writeBack: {
      approvedAt: settings.writeBackApprovedAt?.toISOString() ?? null,
      // Before the first write, and again after a tag prefix changed, the merchant sees exactly what it would do.
      preview: preview && { ...preview, prefixChanged: lastRuns.length > 0 },
      segments,
      lastRuns: lastRuns.map((run) => ({
        kind: run.kind,
        mode: run.mode,
        status: run.status,
        customers: run.customers,
        finishedAt: run.finishedAt?.toISOString() ?? null,
      })),
    },
  };
}

export type LifecycleSummary = Awaited<ReturnType<typeof lifecycleSummary>>;
