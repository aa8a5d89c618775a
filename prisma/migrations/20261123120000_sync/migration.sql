-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "reconciledThrough" DATETIME;

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "availableAt" DATETIME;
ALTER TABLE "WebhookDelivery" ADD COLUMN "customerId" TEXT;
ALTER TABLE "WebhookDelivery" ADD COLUMN "lockedBy" TEXT;
ALTER TABLE "WebhookDelivery" ADD COLUMN "lockedUntil" DATETIME;

-- CreateTable
CREATE TABLE "Customer" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '',
    "emailMarketingState" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "observedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "Order" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "customerId" TEXT,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "processedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "cancelledAt" DATETIME,
    "financialStatus" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "subtotalMinor" REAL NOT NULL,
    "totalMinor" REAL NOT NULL,
    "discountCodes" TEXT NOT NULL DEFAULT '[]',
    "noteAttributes" TEXT NOT NULL DEFAULT '[]',
    "landingSite" TEXT,
    "observedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "amountMinor" REAL NOT NULL,

    PRIMARY KEY ("shop", "id")
);

-- CreateTable
CREATE TABLE "DeletedRecord" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "deletedAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,

    PRIMARY KEY ("shop", "kind", "id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Backfill" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "phase" TEXT NOT NULL DEFAULT 'customers',
    "method" TEXT NOT NULL DEFAULT 'bulk',
    "bulkOperationId" TEXT,
    "linesDone" INTEGER NOT NULL DEFAULT 0,
    "pageCursor" TEXT,
    "customersTotal" INTEGER,
    "ordersTotal" INTEGER,
    "customersDone" INTEGER NOT NULL DEFAULT 0,
    "ordersDone" INTEGER NOT NULL DEFAULT 0,
    "refundsDone" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "phaseStartedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "lastError" TEXT,
    "queryCost" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "since" DATETIME,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'running',
    "customersFetched" INTEGER NOT NULL DEFAULT 0,
    "ordersFetched" INTEGER NOT NULL DEFAULT 0,
    "customersRepaired" INTEGER NOT NULL DEFAULT 0,
    "ordersRepaired" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "queryCost" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "shopifyRequestId" TEXT,
    "requestedAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "export" TEXT
);

-- CreateIndex
CREATE INDEX "Customer_shop_updatedAt_idx" ON "Customer"("shop", "updatedAt");

-- CreateIndex
CREATE INDEX "Order_shop_customerId_idx" ON "Order"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Order_shop_updatedAt_idx" ON "Order"("shop", "updatedAt");

-- CreateIndex
CREATE INDEX "Refund_shop_orderId_idx" ON "Refund"("shop", "orderId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_shop_kind_createdAt_idx" ON "Job"("shop", "kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Job_shop_kind_dedupeKey_key" ON "Job"("shop", "kind", "dedupeKey");

-- CreateIndex
CREATE INDEX "Backfill_shop_startedAt_idx" ON "Backfill"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "ReconciliationRun_shop_startedAt_idx" ON "ReconciliationRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "DataRequest_shop_requestedAt_idx" ON "DataRequest"("shop", "requestedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_customerId_idx" ON "WebhookDelivery"("shop", "customerId");

