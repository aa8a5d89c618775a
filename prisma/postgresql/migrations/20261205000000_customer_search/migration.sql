-- Written by hand (Prisma's schema cannot say it). The customer list's search is a substring of the
-- name key ("first last email", lowercased: the expression of "Customer_shop_nameKey_idx"), which no
-- B-tree can find: without this index PostgreSQL read every customer of the shop (2.7 s at 1,000,000).
-- pg_trgm and btree_gin are trusted extensions since PostgreSQL 13, so the database's owner creates
-- them, on managed hosts too. btree_gin puts the shop in the same index: a search reads one shop's entries.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX "Customer_shop_nameKey_trgm_idx" ON "Customer" USING gin ("shop", LOWER(COALESCE("firstName", '') || ' ' || COALESCE("lastName", '') || ' ' || COALESCE("email", '')) gin_trgm_ops);
