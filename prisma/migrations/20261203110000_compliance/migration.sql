-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "orderId" TEXT;

-- AlterTable
ALTER TABLE "DataRequest" ADD COLUMN "webhookId" TEXT;
ALTER TABLE "DataRequest" ADD COLUMN "sentAt" DATETIME;

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_orderId_idx" ON "WebhookDelivery"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_shop_webhookId_key" ON "DataRequest"("shop", "webhookId");

