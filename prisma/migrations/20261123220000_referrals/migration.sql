-- CreateTable
CREATE TABLE "ReferralCode" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "discountId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "customerId")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "friendId" TEXT,
    "orderId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reasons" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LoyaltySettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "pointsPerUnit" REAL NOT NULL DEFAULT 1,
    "basis" TEXT NOT NULL DEFAULT 'subtotal',
    "pendingDays" INTEGER NOT NULL DEFAULT 0,
    "expiryMonths" INTEGER,
    "pointsPerReward" INTEGER NOT NULL DEFAULT 500,
    "rewardValueMinor" INTEGER NOT NULL DEFAULT 500,
    "earnSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metafieldDefinitionAt" DATETIME,
    "referrerPoints" INTEGER NOT NULL DEFAULT 500,
    "returnWindowDays" INTEGER NOT NULL DEFAULT 30,
    "friendDiscountPercent" REAL NOT NULL DEFAULT 10,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_LoyaltySettings" ("basis", "createdAt", "earnSince", "enabled", "expiryMonths", "metafieldDefinitionAt", "pendingDays", "pointsPerReward", "pointsPerUnit", "rewardValueMinor", "shop", "updatedAt") SELECT "basis", "createdAt", "earnSince", "enabled", "expiryMonths", "metafieldDefinitionAt", "pendingDays", "pointsPerReward", "pointsPerUnit", "rewardValueMinor", "shop", "updatedAt" FROM "LoyaltySettings";
DROP TABLE "LoyaltySettings";
ALTER TABLE "new_LoyaltySettings" RENAME TO "LoyaltySettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_shop_code_key" ON "ReferralCode"("shop", "code");

-- CreateIndex
CREATE INDEX "Referral_shop_referrerId_idx" ON "Referral"("shop", "referrerId");

-- CreateIndex
CREATE INDEX "Referral_shop_friendId_idx" ON "Referral"("shop", "friendId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_orderId_key" ON "Referral"("shop", "orderId");

