-- CreateTable
CREATE TABLE "LoyaltySettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "pointsPerUnit" REAL NOT NULL DEFAULT 1,
    "basis" TEXT NOT NULL DEFAULT 'subtotal',
    "pendingDays" INTEGER NOT NULL DEFAULT 0,
    "expiryMonths" INTEGER,
    "pointsPerReward" INTEGER NOT NULL DEFAULT 500,
    "rewardValueMinor" INTEGER NOT NULL DEFAULT 500,
    "earnSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PointsEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "availableAt" DATETIME NOT NULL,
    "orderId" TEXT,
    "basisMinor" REAL,
    "reason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LoyaltyAccount" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "available" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "writtenMetafields" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "customerId")
);

-- CreateIndex
CREATE INDEX "PointsEntry_shop_customerId_at_idx" ON "PointsEntry"("shop", "customerId", "at");

-- CreateIndex
CREATE INDEX "PointsEntry_shop_orderId_idx" ON "PointsEntry"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "PointsEntry_shop_source_sourceId_kind_key" ON "PointsEntry"("shop", "source", "sourceId", "kind");

