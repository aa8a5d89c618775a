-- AlterTable
ALTER TABLE "LifecycleSettings" ADD COLUMN "metafieldDefinitionsAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WriteBackRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "customers" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "items" TEXT,
    "queryCost" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "lastError" TEXT,
    "failed" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_WriteBackRun" ("bulkOperationId", "customers", "finishedAt", "id", "items", "kind", "lastError", "mode", "queryCost", "shop", "startedAt", "status") SELECT "bulkOperationId", "customers", "finishedAt", "id", "items", "kind", "lastError", "mode", "queryCost", "shop", "startedAt", "status" FROM "WriteBackRun";
DROP TABLE "WriteBackRun";
ALTER TABLE "new_WriteBackRun" RENAME TO "WriteBackRun";
CREATE INDEX "WriteBackRun_shop_startedAt_idx" ON "WriteBackRun"("shop", "startedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

