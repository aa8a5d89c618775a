-- CreateTable
CREATE TABLE "LifecycleSettings" (
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

-- CreateTable
CREATE TABLE "CustomerLifecycle" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "reasonKey" TEXT NOT NULL,
    "reasonValues" TEXT NOT NULL DEFAULT '{}',
    "stageSince" DATETIME NOT NULL,
    "recency" INTEGER,
    "frequency" INTEGER,
    "monetary" INTEGER,
    "rfmGroup" TEXT NOT NULL,
    "valueBand" TEXT NOT NULL,
    "purchases" INTEGER NOT NULL,
    "netRevenueMinor" REAL NOT NULL,
    "trailingYearRevenueMinor" REAL NOT NULL,
    "lastPurchaseAt" DATETIME,
    "computedAt" DATETIME NOT NULL,
    "writtenMetafields" TEXT,

    PRIMARY KEY ("shop", "customerId")
);

-- CreateTable
CREATE TABLE "StageChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromStage" TEXT,
    "toStage" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "reasonKey" TEXT NOT NULL,
    "reasonValues" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "DailyStageCount" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,
    "revenueMinor" REAL NOT NULL DEFAULT 0,

    PRIMARY KEY ("shop", "day", "stage")
);

-- CreateTable
CREATE TABLE "DailyTransition" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "fromStage" TEXT NOT NULL,
    "toStage" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,

    PRIMARY KEY ("shop", "day", "fromStage", "toStage")
);

-- CreateTable
CREATE TABLE "ManagedSegment" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "kind", "value")
);

-- CreateTable
CREATE TABLE "WriteBackRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "customers" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "queryCost" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "lastError" TEXT
);

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_stage_idx" ON "CustomerLifecycle"("shop", "stage");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_rfmGroup_idx" ON "CustomerLifecycle"("shop", "rfmGroup");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_valueBand_idx" ON "CustomerLifecycle"("shop", "valueBand");

-- CreateIndex
CREATE INDEX "StageChange_shop_customerId_at_idx" ON "StageChange"("shop", "customerId", "at");

-- CreateIndex
CREATE INDEX "StageChange_shop_at_idx" ON "StageChange"("shop", "at");

-- CreateIndex
CREATE INDEX "WriteBackRun_shop_startedAt_idx" ON "WriteBackRun"("shop", "startedAt");

