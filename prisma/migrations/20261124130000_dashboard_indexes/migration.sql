-- DropIndex
DROP INDEX "CustomerLifecycle_shop_stage_idx";

-- DropIndex
DROP INDEX "CustomerLifecycle_shop_rfmGroup_idx";

-- DropIndex
DROP INDEX "CustomerLifecycle_shop_valueBand_idx";

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_trailingYearRevenueMinor_customerId_idx" ON "CustomerLifecycle"("shop", "trailingYearRevenueMinor" DESC, "customerId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_stage_trailingYearRevenueMinor_customerId_idx" ON "CustomerLifecycle"("shop", "stage", "trailingYearRevenueMinor" DESC, "customerId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_rfmGroup_trailingYearRevenueMinor_customerId_idx" ON "CustomerLifecycle"("shop", "rfmGroup", "trailingYearRevenueMinor" DESC, "customerId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_valueBand_trailingYearRevenueMinor_customerId_idx" ON "CustomerLifecycle"("shop", "valueBand", "trailingYearRevenueMinor" DESC, "customerId");

-- CreateIndex
CREATE INDEX "CustomerLifecycle_shop_stage_valueBand_recency_frequency_purchases_trailingYearRevenueMinor_idx" ON "CustomerLifecycle"("shop", "stage", "valueBand", "recency", "frequency", "purchases", "trailingYearRevenueMinor");


-- Written by hand (Prisma cannot declare an expression index): the customer list's name order and
-- its search read this index instead of sorting or scanning the shop's customers. It holds the
-- columns the list shows, so no table rows are read for a page.
CREATE INDEX "Customer_shop_nameKey_idx" ON "Customer"("shop", LOWER(COALESCE("firstName", '') || ' ' || COALESCE("lastName", '') || ' ' || COALESCE("email", '')), "id", "firstName", "lastName", "email");
