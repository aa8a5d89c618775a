-- AlterTable
ALTER TABLE "WriteBackRun" ADD COLUMN "items" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LifecycleSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "repurchaseIntervalDays" INTEGER,
    "lapseAfterDays" INTEGER,
    "atRiskMultiple" REAL NOT NULL DEFAULT 2,
    "loyalMinOrders" INTEGER NOT NULL DEFAULT 3,
    "valueLargeShare" REAL NOT NULL DEFAULT 0.2,
    "valueMediumShare" REAL NOT NULL DEFAULT 0.3,
    "stageTagPrefix" TEXT NOT NULL DEFAULT 'lifecycle:',
    "rfmTagPrefix" TEXT NOT NULL DEFAULT 'rfm:',
    "valueTagPrefix" TEXT NOT NULL DEFAULT 'value:',
    "retiredTagPrefixes" TEXT NOT NULL DEFAULT '[]',
    "writeTags" BOOLEAN NOT NULL DEFAULT true,
    "writeMetafields" BOOLEAN NOT NULL DEFAULT true,
    "writeSegments" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "rhythm" TEXT,
    "rfmCutoffs" TEXT,
    "lastFullRunAt" DATETIME,
    "writeBackApprovedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_LifecycleSettings" ("atRiskMultiple", "lapseAfterDays", "lastFullRunAt", "loyalMinOrders", "repurchaseIntervalDays", "rfmCutoffs", "rfmTagPrefix", "rhythm", "shop", "stageTagPrefix", "updatedAt", "valueLargeShare", "valueMediumShare", "valueTagPrefix", "version", "writeBackApprovedAt", "writeMetafields", "writeSegments", "writeTags") SELECT "atRiskMultiple", "lapseAfterDays", "lastFullRunAt", "loyalMinOrders", "repurchaseIntervalDays", "rfmCutoffs", "rfmTagPrefix", "rhythm", "shop", "stageTagPrefix", "updatedAt", "valueLargeShare", "valueMediumShare", "valueTagPrefix", "version", "writeBackApprovedAt", "writeMetafields", "writeSegments", "writeTags" FROM "LifecycleSettings";
DROP TABLE "LifecycleSettings";
ALTER TABLE "new_LifecycleSettings" RENAME TO "LifecycleSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

