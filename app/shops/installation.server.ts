import type { PrismaClient } from "@prisma/client";
import { schedulePeriodicJobs, scheduleRetention } from "~/jobs/catalogue.server";
import { cancelShopJobs, deleteShopJobs } from "~/jobs/engines.server";
import { ensureInitialBackfill } from "~/sync/backfill.server";

/**
 * afterAuth (every token exchange): the shop is recorded as installed, a new shop is backfilled, and
 * the shop's periodic jobs are kept queued for the job worker.
 */
export async function recordAuthentication(db: PrismaClient, shop: string, scopes: string | undefined) {
  await recordInstallation(db, shop, scopes);
  await ensureInitialBackfill(db, shop);
  await schedulePeriodicJobs(db, shop);
  // Raw payloads are pruned by an app-wide job, whatever becomes of this shop.
  await scheduleRetention(db);
}

/**
 * Marks a shop installed. afterAuth runs on every token exchange, so this is an upsert; a shop
 * coming back after an uninstall gets a new installedAt, which stale uninstall deliveries compare against.
 */
export async function recordInstallation(db: PrismaClient, shop: string, scopes: string | undefined, now = new Date()) {
  const existing = await db.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  await db.shop.upsert({
    where: { shop },
    create: { shop, scopes: scopes ?? null, installedAt: now },
    update: { scopes: scopes ?? null, ...(existing?.uninstalledAt ? { uninstalledAt: null, installedAt: now } : {}) },
  });
}

/**
 * app/uninstalled: the shop's sessions go (Shopify has revoked their tokens) and the shop is marked
 * uninstalled. A late delivery from before the latest install changes nothing.
 */
export async function recordUninstallation(db: PrismaClient, shop: string, at: Date): Promise<"applied" | "stale"> {
  const existing = await db.shop.findUnique({ where: { shop }, select: { installedAt: true } });
  if (existing && existing.installedAt > at) return "stale";
  const stoppedAt = new Date();
  await db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { shop } });
    await tx.shop.upsert({ where: { shop }, create: { shop, uninstalledAt: at }, update: { uninstalledAt: at } });
    // All work for the shop stops; its data stays until shop/redact (48 h later) or a reinstall.
    await cancelShopJobs(tx, shop, stoppedAt);
    await tx.backfill.updateMany({ where: { shop, status: "running" }, data: { status: "cancelled", finishedAt: stoppedAt, lastError: "App uninstalled" } });
  });
  return "applied";
}

/** app/scopes_update: keep the stored sessions' scope in line with what the merchant granted. */
export async function recordScopesUpdate(db: PrismaClient, shop: string, scopes: readonly string[]) {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { shop }, data: { scopes: scope } }),
  ]);
}

/** shop/redact (48 h after uninstall): nothing of the shop may remain, in any table. */
export async function eraseShop(db: PrismaClient, shop: string) {
  const where = { where: { shop } };
  // First, and apart: pg-boss's tables are not Prisma models, so they cannot join the batch below.
  // Should the batch then fail, the delivery is retried and the erasure done again.
  await deleteShopJobs(db, shop);
  await db.$transaction([
    db.session.deleteMany(where),
    db.refund.deleteMany(where),
    db.order.deleteMany(where),
    db.customer.deleteMany(where),
    db.deletedRecord.deleteMany(where),
    db.dataRequest.deleteMany(where),
    // The Job table holds the table engine's jobs; on pg-boss it is empty, and this keeps it so.
    db.job.deleteMany(where),
    db.backfill.deleteMany(where),
    db.reconciliationRun.deleteMany(where),
    db.lifecycleSettings.deleteMany(where),
    db.customerLifecycle.deleteMany(where),
    db.stageChange.deleteMany(where),
    db.advocateMark.deleteMany(where),
    db.loyaltySettings.deleteMany(where),
    db.pointsEntry.deleteMany(where),
    db.loyaltyAccount.deleteMany(where),
    db.redemption.deleteMany(where),
    db.referralCode.deleteMany(where),
    db.referral.deleteMany(where),
    db.dailyStageCount.deleteMany(where),
    db.dailyTransition.deleteMany(where),
    db.managedSegment.deleteMany(where),
    db.writeBackRun.deleteMany(where),
    db.webhookDelivery.deleteMany(where),
    db.refusedWebhook.deleteMany({ where: { OR: [{ shop }, { namedShop: shop }] } }),
    db.shop.deleteMany(where),
  ]);
}
