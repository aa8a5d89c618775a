-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "orderId" TEXT;

-- AlterTable
ALTER TABLE "DataRequest" ADD COLUMN "webhookId" TEXT;
ALTER TABLE "DataRequest" ADD COLUMN "sentAt" DATETIME;

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_orderId_idx" ON "WebhookDelivery"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_shop_webhookId_key" ON "DataRequest"("shop", "webhookId");

-- Lifecycle metafield definitions were created readable by storefronts: every shop that has them
-- gets them corrected once (app/compliance/metafield-access.server.ts).
INSERT INTO "Job" ("shop", "kind", "dedupeKey", "payload", "status", "attempts", "maxAttempts", "runAt", "createdAt")
SELECT "shop", 'metafield-access', 'once', '{}', 'queued', 0, 8, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
FROM "LifecycleSettings" WHERE "metafieldDefinitionsAt" IS NOT NULL;
