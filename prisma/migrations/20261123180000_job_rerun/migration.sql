-- AlterTable
ALTER TABLE "Job" ADD COLUMN "rerunAt" DATETIME;

