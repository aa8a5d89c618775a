import type { PrismaClient } from "@prisma/client";
import { STAGES, type Stage } from "~/lifecycle/model";
import { dryRun } from "~/write-back/write-back.server";
import { lifecycleSettings, storedRhythm } from "./settings.server";

/** What the home page shows about the lifecycle: customers per stage, how the thresholds were found, and write-back. */
export async function lifecycleSummary(db: PrismaClient, shop: string) {
  const settings = await lifecycleSettings(db, shop);
  const [byStage, segments, lastRuns] = await Promise.all([
    db.customerLifecycle.groupBy({ by: ["stage"], where: { shop }, _count: { _all: true } }),
    db.managedSegment.count({ where: { shop } }),
    db.writeBackRun.findMany({ where: { shop }, orderBy: { id: "desc" }, take: 3 }),
  ]);
  const counts = new Map(byStage.map((row) => [row.stage, row._count._all]));
  return {
    computedAt: settings.lastFullRunAt?.toISOString() ?? null,
    stages: STAGES.map((stage: Stage) => ({ stage, customers: counts.get(stage) ?? 0 })),
    rhythm: storedRhythm(settings).explanation,
    writeBack: {
      approvedAt: settings.writeBackApprovedAt?.toISOString() ?? null,
      // Before the first write the merchant sees exactly what it would do.
      preview: settings.writeBackApprovedAt || !settings.lastFullRunAt ? null : await dryRun(db, shop),
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
