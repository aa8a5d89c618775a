-- Write-back removes only the tags it wrote (recorded per customer), and works on the customers
-- whose lifecycle, tags or balance changed instead of reading the whole shop on every run.

-- AlterTable
ALTER TABLE "CustomerLifecycle" ADD COLUMN "writtenTags" TEXT;
ALTER TABLE "CustomerLifecycle" ADD COLUMN "pendingTags" TEXT;
ALTER TABLE "CustomerLifecycle" ADD COLUMN "tagsUpdatedAt" DATETIME;
ALTER TABLE "CustomerLifecycle" ADD COLUMN "writeBackDue" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "CustomerLifecycle" ADD COLUMN "writeBackRefused" TEXT;
ALTER TABLE "CustomerLifecycle" ADD COLUMN "writeBackRefusedAt" DATETIME;

-- AlterTable
ALTER TABLE "LoyaltyAccount" ADD COLUMN "summaryDue" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "LoyaltyAccount" ADD COLUMN "summaryRefused" TEXT;
ALTER TABLE "LoyaltyAccount" ADD COLUMN "summaryRefusedAt" DATETIME;

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_writeBackDue_idx" ON "CustomerLifecycle"("shop", "writeBackDue");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_writeBackRefusedAt_idx" ON "CustomerLifecycle"("shop", "writeBackRefusedAt");

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_summaryDue_idx" ON "LoyaltyAccount"("shop", "summaryDue");

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_summaryRefusedAt_idx" ON "LoyaltyAccount"("shop", "summaryRefusedAt");

-- CreateIndex
CREATE INDEX "WriteBackRun_shop_status_idx" ON "WriteBackRun"("shop", "status");

-- The tags written before this change were never recorded. What we claim as ours is the narrowest
-- safe guess: only where the merchant approved tag write-back, only the exact tags the current
-- settings give the customer's recorded stage, RFM group and value band, and only those the
-- customer carries. Nothing under a prefix used before, and no other stage's tag, is claimed: a
-- tag we wrote that this leaves out (a customer whose stage moved since the last write) stays in
-- Shopify, for the merchant to remove, rather than risking a merchant's own tag.
UPDATE "CustomerLifecycle" SET "writtenTags" = (
  SELECT json_group_array(ours."tag") FROM (
    SELECT s."stageTagPrefix" || "CustomerLifecycle"."stage" AS "tag"
    UNION ALL SELECT s."rfmTagPrefix" || lower("CustomerLifecycle"."rfmGroup")
    UNION ALL SELECT s."valueTagPrefix" || "CustomerLifecycle"."valueBand"
  ) ours
  WHERE instr(', ' || lower(c."tags") || ',', ', ' || lower(ours."tag") || ',') > 0
)
FROM "LifecycleSettings" s, "Customer" c
WHERE s."shop" = "CustomerLifecycle"."shop" AND s."writeBackApprovedAt" IS NOT NULL AND s."writeTags" = 1
  AND c."shop" = "CustomerLifecycle"."shop" AND c."id" = "CustomerLifecycle"."customerId";

-- Tags under a retired prefix are no longer taken for ours.
ALTER TABLE "LifecycleSettings" DROP COLUMN "retiredTagPrefixes";
