-- CreateTable
CREATE TABLE "AdvocateMark" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "markedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "customerId")
);

