-- No query reads customers or orders by updatedAt (reconciliation asks Shopify for what changed
-- and keeps its own watermark), yet every write of a customer or an order kept these up to date.
-- DropIndex
DROP INDEX "Customer_shop_updatedAt_idx";

-- DropIndex
DROP INDEX "Order_shop_updatedAt_idx";

