-- AlterTable
ALTER TABLE "Backfill" ADD COLUMN "bulkRequestedAt" DATETIME;
ALTER TABLE "Backfill" ADD COLUMN "ordersBulkOperationId" TEXT;
ALTER TABLE "Backfill" ADD COLUMN "ordersBulkRequestedAt" DATETIME;

