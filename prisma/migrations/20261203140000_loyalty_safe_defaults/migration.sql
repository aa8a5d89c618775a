-- Safe loyalty defaults. The programme is off until the merchant turns it on; points wait 14 days
-- (the return window) before they can be spent; a referral pays only from a 20.00 order.
--
-- Existing installs: the programme used to be on from install, so a merchant who never chose may be
-- running one without knowing. Every existing programme is therefore turned off: the merchant sees
-- the onboarding on the Loyalty page, with the rules as they stand, and turns it on again. Points
-- already earned stay in the ledger. Their other rules are kept as they were: there is no telling a
-- rule the merchant chose from a default, and the onboarding shows them before anything runs again.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LoyaltySettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "pointsPerUnit" REAL NOT NULL DEFAULT 1,
    "basis" TEXT NOT NULL DEFAULT 'subtotal',
    "pendingDays" INTEGER NOT NULL DEFAULT 14,
    "expiryMonths" INTEGER,
    "pointsPerReward" INTEGER NOT NULL DEFAULT 500,
    "rewardValueMinor" INTEGER NOT NULL DEFAULT 500,
    "earnSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metafieldDefinitionAt" DATETIME,
    "referrerPoints" INTEGER NOT NULL DEFAULT 500,
    "returnWindowDays" INTEGER NOT NULL DEFAULT 30,
    "friendDiscountPercent" REAL NOT NULL DEFAULT 10,
    "referralMinOrderMinor" INTEGER NOT NULL DEFAULT 2000,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_LoyaltySettings" ("basis", "createdAt", "earnSince", "enabled", "expiryMonths", "friendDiscountPercent", "metafieldDefinitionAt", "pendingDays", "pointsPerReward", "pointsPerUnit", "referrerPoints", "returnWindowDays", "rewardValueMinor", "shop", "updatedAt") SELECT "basis", "createdAt", "earnSince", false, "expiryMonths", "friendDiscountPercent", "metafieldDefinitionAt", "pendingDays", "pointsPerReward", "pointsPerUnit", "referrerPoints", "returnWindowDays", "rewardValueMinor", "shop", "updatedAt" FROM "LoyaltySettings";
DROP TABLE "LoyaltySettings";
ALTER TABLE "new_LoyaltySettings" RENAME TO "LoyaltySettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN "idempotencyKey" TEXT;
ALTER TABLE "Redemption" ADD COLUMN "lockedBy" TEXT;
ALTER TABLE "Redemption" ADD COLUMN "lockedUntil" DATETIME;

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_customerId_idempotencyKey_key" ON "Redemption"("shop", "customerId", "idempotencyKey");
