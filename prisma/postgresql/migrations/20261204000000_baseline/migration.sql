-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMPTZ(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMPTZ(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL,
    "installedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMPTZ(3),
    "scopes" TEXT,
    "name" TEXT,
    "currencyCode" TEXT,
    "ianaTimezone" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "reconciledThrough" TIMESTAMPTZ(3),

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" TIMESTAMPTZ(3),
    "apiVersion" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "processedAt" TIMESTAMPTZ(3),
    "availableAt" TIMESTAMPTZ(3),
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMPTZ(3),
    "customerId" TEXT,
    "orderId" TEXT,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RefusedWebhook" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "namedShop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastReceivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "times" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "RefusedWebhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "state" TEXT NOT NULL,
    "tags" TEXT NOT NULL DEFAULT '',
    "emailMarketingState" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "observedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "Order" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "customerId" TEXT,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "processedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "cancelledAt" TIMESTAMPTZ(3),
    "financialStatus" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "subtotalMinor" DOUBLE PRECISION NOT NULL,
    "totalMinor" DOUBLE PRECISION NOT NULL,
    "discountCodes" TEXT NOT NULL DEFAULT '[]',
    "noteAttributes" TEXT NOT NULL DEFAULT '[]',
    "landingSite" TEXT,
    "observedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "amountMinor" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "DeletedRecord" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "deletedAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "DeletedRecord_pkey" PRIMARY KEY ("shop","kind","id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "deadKey" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "runAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "rerunAt" TIMESTAMPTZ(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Backfill" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "phase" TEXT NOT NULL DEFAULT 'customers',
    "method" TEXT NOT NULL DEFAULT 'bulk',
    "bulkOperationId" TEXT,
    "bulkRequestedAt" TIMESTAMPTZ(3),
    "ordersBulkOperationId" TEXT,
    "ordersBulkRequestedAt" TIMESTAMPTZ(3),
    "linesDone" INTEGER NOT NULL DEFAULT 0,
    "pageCursor" TEXT,
    "customersTotal" INTEGER,
    "ordersTotal" INTEGER,
    "customersDone" INTEGER NOT NULL DEFAULT 0,
    "ordersDone" INTEGER NOT NULL DEFAULT 0,
    "refundsDone" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "phaseStartedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "queryCost" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Backfill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'running',
    "customersFetched" INTEGER NOT NULL DEFAULT 0,
    "ordersFetched" INTEGER NOT NULL DEFAULT 0,
    "customersRepaired" INTEGER NOT NULL DEFAULT 0,
    "ordersRepaired" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "queryCost" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReconciliationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "shopifyRequestId" TEXT,
    "webhookId" TEXT,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),
    "export" TEXT,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LifecycleSettings" (
    "shop" TEXT NOT NULL,
    "repurchaseIntervalDays" INTEGER,
    "lapseAfterDays" INTEGER,
    "atRiskMultiple" DOUBLE PRECISION NOT NULL DEFAULT 2,
    "loyalMinOrders" INTEGER NOT NULL DEFAULT 3,
    "valueLargeShare" DOUBLE PRECISION NOT NULL DEFAULT 0.2,
    "valueMediumShare" DOUBLE PRECISION NOT NULL DEFAULT 0.3,
    "stageTagPrefix" TEXT NOT NULL DEFAULT 'lifecycle:',
    "rfmTagPrefix" TEXT NOT NULL DEFAULT 'rfm:',
    "valueTagPrefix" TEXT NOT NULL DEFAULT 'value:',
    "writeTags" BOOLEAN NOT NULL DEFAULT true,
    "writeMetafields" BOOLEAN NOT NULL DEFAULT true,
    "writeSegments" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "rhythm" TEXT,
    "rfmCutoffs" TEXT,
    "lastFullRunAt" TIMESTAMPTZ(3),
    "historyReplayedAt" TIMESTAMPTZ(3),
    "writeBackApprovedAt" TIMESTAMPTZ(3),
    "metafieldDefinitionsAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LifecycleSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "CustomerLifecycle" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "reasonKey" TEXT NOT NULL,
    "reasonValues" TEXT NOT NULL DEFAULT '{}',
    "stageSince" TIMESTAMPTZ(3) NOT NULL,
    "recency" INTEGER,
    "frequency" INTEGER,
    "monetary" INTEGER,
    "rfmGroup" TEXT NOT NULL,
    "valueBand" TEXT NOT NULL,
    "purchases" INTEGER NOT NULL,
    "netRevenueMinor" DOUBLE PRECISION NOT NULL,
    "trailingYearRevenueMinor" DOUBLE PRECISION NOT NULL,
    "lastPurchaseAt" TIMESTAMPTZ(3),
    "computedAt" TIMESTAMPTZ(3) NOT NULL,
    "writtenMetafields" TEXT,
    "writtenTags" TEXT,
    "pendingTags" TEXT,
    "tagsUpdatedAt" TIMESTAMPTZ(3),
    "writeBackDue" INTEGER NOT NULL DEFAULT 1,
    "writeBackRefused" TEXT,
    "writeBackRefusedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CustomerLifecycle_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateTable
CREATE TABLE "AdvocateMark" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "markedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdvocateMark_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateTable
CREATE TABLE "StageChange" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromStage" TEXT,
    "toStage" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "reasonKey" TEXT NOT NULL,
    "reasonValues" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "StageChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyStageCount" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,
    "revenueMinor" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "DailyStageCount_pkey" PRIMARY KEY ("shop","day","stage")
);

-- CreateTable
CREATE TABLE "DailyTransition" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "fromStage" TEXT NOT NULL,
    "toStage" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,

    CONSTRAINT "DailyTransition_pkey" PRIMARY KEY ("shop","day","fromStage","toStage")
);

-- CreateTable
CREATE TABLE "ManagedSegment" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ManagedSegment_pkey" PRIMARY KEY ("shop","kind","value")
);

-- CreateTable
CREATE TABLE "WriteBackRun" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "customers" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "items" TEXT,
    "queryCost" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "failed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WriteBackRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoyaltySettings" (
    "shop" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "pointsPerUnit" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "basis" TEXT NOT NULL DEFAULT 'subtotal',
    "pendingDays" INTEGER NOT NULL DEFAULT 14,
    "expiryMonths" INTEGER,
    "pointsPerReward" INTEGER NOT NULL DEFAULT 500,
    "rewardValueMinor" INTEGER NOT NULL DEFAULT 500,
    "earnSince" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metafieldDefinitionAt" TIMESTAMPTZ(3),
    "referrerPoints" INTEGER NOT NULL DEFAULT 500,
    "returnWindowDays" INTEGER NOT NULL DEFAULT 30,
    "friendDiscountPercent" DOUBLE PRECISION NOT NULL DEFAULT 10,
    "referralMinOrderMinor" INTEGER NOT NULL DEFAULT 2000,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoyaltySettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "PointsEntry" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "availableAt" TIMESTAMPTZ(3) NOT NULL,
    "orderId" TEXT,
    "basisMinor" DOUBLE PRECISION,
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PointsEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoyaltyAccount" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "available" INTEGER NOT NULL DEFAULT 0,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "writtenMetafields" TEXT,
    "summaryDue" INTEGER NOT NULL DEFAULT 1,
    "summaryRefused" TEXT,
    "summaryRefusedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoyaltyAccount_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "valueMinor" INTEGER NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "discountId" TEXT,
    "lastError" TEXT,
    "idempotencyKey" TEXT,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralCode" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "discountId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralCode_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "friendId" TEXT,
    "orderId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reasons" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_key" ON "WebhookDelivery"("webhookId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_topic_receivedAt_idx" ON "WebhookDelivery"("shop", "topic", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_topic_id_idx" ON "WebhookDelivery"("status", "topic", "id");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_eventId_idx" ON "WebhookDelivery"("shop", "eventId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_customerId_idx" ON "WebhookDelivery"("shop", "customerId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_orderId_idx" ON "WebhookDelivery"("shop", "orderId");

-- CreateIndex
CREATE INDEX "RefusedWebhook_shop_receivedAt_idx" ON "RefusedWebhook"("shop", "receivedAt");

-- CreateIndex
CREATE INDEX "RefusedWebhook_namedShop_idx" ON "RefusedWebhook"("namedShop");

-- CreateIndex
CREATE UNIQUE INDEX "RefusedWebhook_webhookId_shop_key" ON "RefusedWebhook"("webhookId", "shop");

-- CreateIndex
CREATE INDEX "Order_shop_customerId_idx" ON "Order"("shop", "customerId");

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
CREATE UNIQUE INDEX "DataRequest_shop_webhookId_key" ON "DataRequest"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_writeBackDue_idx" ON "CustomerLifecycle"("shop", "writeBackDue");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_writeBackRefusedAt_idx" ON "CustomerLifecycle"("shop", "writeBackRefusedAt");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_trailingYearRevenueMinor_customerId_idx" ON "CustomerLifecycle"("shop", "trailingYearRevenueMinor" DESC, "customerId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_stage_trailingYearRevenueMinor_custo_idx" ON "CustomerLifecycle"("shop", "stage", "trailingYearRevenueMinor" DESC, "customerId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_rfmGroup_trailingYearRevenueMinor_cu_idx" ON "CustomerLifecycle"("shop", "rfmGroup", "trailingYearRevenueMinor" DESC, "customerId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_valueBand_trailingYearRevenueMinor_c_idx" ON "CustomerLifecycle"("shop", "valueBand", "trailingYearRevenueMinor" DESC, "customerId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_stage_valueBand_recency_frequency_pu_idx" ON "CustomerLifecycle"("shop", "stage", "valueBand", "recency", "frequency", "purchases", "trailingYearRevenueMinor");

-- CreateIndex
CREATE INDEX "StageChange_shop_customerId_at_idx" ON "StageChange"("shop", "customerId", "at");

-- CreateIndex
CREATE INDEX "StageChange_shop_at_idx" ON "StageChange"("shop", "at");

-- CreateIndex
CREATE INDEX "WriteBackRun_shop_startedAt_idx" ON "WriteBackRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "WriteBackRun_shop_status_idx" ON "WriteBackRun"("shop", "status");

-- CreateIndex
CREATE INDEX "PointsEntry_shop_customerId_at_idx" ON "PointsEntry"("shop", "customerId", "at");

-- CreateIndex
CREATE INDEX "PointsEntry_shop_orderId_idx" ON "PointsEntry"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "PointsEntry_shop_source_sourceId_kind_key" ON "PointsEntry"("shop", "source", "sourceId", "kind");

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_summaryDue_idx" ON "LoyaltyAccount"("shop", "summaryDue");

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shop_summaryRefusedAt_idx" ON "LoyaltyAccount"("shop", "summaryRefusedAt");

-- CreateIndex
CREATE INDEX "Redemption_shop_customerId_idx" ON "Redemption"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Redemption_status_createdAt_idx" ON "Redemption"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_code_key" ON "Redemption"("shop", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_customerId_idempotencyKey_key" ON "Redemption"("shop", "customerId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_shop_code_key" ON "ReferralCode"("shop", "code");

-- CreateIndex
CREATE INDEX "Referral_shop_referrerId_idx" ON "Referral"("shop", "referrerId");

-- CreateIndex
CREATE INDEX "Referral_shop_friendId_idx" ON "Referral"("shop", "friendId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_orderId_key" ON "Referral"("shop", "orderId");


-- Written by hand (Prisma's schema cannot say them); the SQLite migration 20261124130000 holds the same index.
-- The customer list's search reads this expression; the index covers the row it shows.
CREATE INDEX "Customer_shop_nameKey_idx" ON "Customer"("shop", LOWER(COALESCE("firstName", '') || ' ' || COALESCE("lastName", '') || ' ' || COALESCE("email", '')), "id", "firstName", "lastName", "email");

-- Webhook payloads are stored as the text Shopify sent. Retention and the data export read into them
-- with this: the JSON value, or NULL when the text is not JSON (PostgreSQL 15 has no IS JSON).
CREATE FUNCTION try_jsonb(value TEXT) RETURNS JSONB AS $$
BEGIN
  RETURN value::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$ LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE;
