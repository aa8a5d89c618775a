-- CreateTable
CREATE TABLE "RefusedWebhook" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "namedShop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastReceivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "times" INTEGER NOT NULL DEFAULT 1
);

-- CreateIndex
CREATE INDEX "RefusedWebhook_shop_receivedAt_idx" ON "RefusedWebhook"("shop", "receivedAt");

-- CreateIndex
CREATE INDEX "RefusedWebhook_namedShop_idx" ON "RefusedWebhook"("namedShop");

-- CreateIndex
CREATE UNIQUE INDEX "RefusedWebhook_webhookId_shop_key" ON "RefusedWebhook"("webhookId", "shop");

