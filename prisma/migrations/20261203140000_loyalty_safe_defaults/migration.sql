-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN "idempotencyKey" TEXT;
ALTER TABLE "Redemption" ADD COLUMN "lockedBy" TEXT;
ALTER TABLE "Redemption" ADD COLUMN "lockedUntil" DATETIME;

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_customerId_idempotencyKey_key" ON "Redemption"("shop", "customerId", "idempotencyKey");
