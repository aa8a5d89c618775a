-- AlterTable
ALTER TABLE "LoyaltySettings" ADD COLUMN "metafieldDefinitionAt" DATETIME;

