-- AlterTable
ALTER TABLE "Job" ADD COLUMN "deadKey" TEXT;

