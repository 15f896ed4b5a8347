-- An option filter ("hoodies in navy") checked each matching product's variants one by one: 756 hoodies on the
-- bench's 10,000-product catalog cost ~6 ms of an 8.5 ms search (EXPLAIN ANALYZE, ADR 005). The product's own
-- folded option values rule out, before any variant is read, every product none of whose variants can match.

-- AlterTable
ALTER TABLE "Product" ADD COLUMN "optionText" TEXT GENERATED ALWAYS AS (option_search_text("variantOptionValues")) STORED;
