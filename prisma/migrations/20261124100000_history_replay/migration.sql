-- AlterTable
ALTER TABLE "LifecycleSettings" ADD COLUMN "historyReplayedAt" DATETIME;

