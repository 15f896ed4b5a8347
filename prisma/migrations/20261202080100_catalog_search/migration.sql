-- Catalog search: the fields the agent filters on (published, compare-at price, options, inventory policy), a
-- generated full-text document per product, a per-shop vocabulary for typo correction, and merchant synonyms.

-- All three ship with PostgreSQL's contrib (and embedded-postgres) and are trusted: a database owner may create them.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- Lets one GIN index start with "shopId", so a search in one shop never walks other shops' postings.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- unaccent() is only STABLE because it looks its dictionary up by name at run time; naming the dictionary makes
-- an IMMUTABLE fold that generated columns and indexes may use. Lower-cased and accent-free: "Crème" is "creme".
CREATE FUNCTION search_fold(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, input));

-- English stems ("hoodies" finds "hoodie") and unstemmed words (names, SKUs, other languages) side by side;
-- weights rank a title hit above type and tags, above vendor and options, above the description.
CREATE FUNCTION catalog_search_document(title text, product_type text, tags text[], vendor text, option_values text[], skus text[], description text)
  RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN
    setweight(to_tsvector('english'::regconfig, search_fold(coalesce(title, ''))), 'A')
    || setweight(to_tsvector('simple'::regconfig, search_fold(coalesce(title, ''))), 'A')
    || setweight(to_tsvector('english'::regconfig, search_fold(coalesce(product_type, '') || ' ' || coalesce(array_to_string(tags, ' '), ''))), 'B')
    || setweight(to_tsvector('simple'::regconfig, search_fold(coalesce(array_to_string(skus, ' '), ''))), 'B')
    || setweight(to_tsvector('simple'::regconfig, search_fold(coalesce(vendor, '') || ' ' || coalesce(array_to_string(option_values, ' '), ''))), 'C')
    || setweight(to_tsvector('english'::regconfig, search_fold(coalesce(description, ''))), 'D');

-- AlterTable
ALTER TABLE "Product" ADD COLUMN "publishedAt" TIMESTAMP(3),
ADD COLUMN "onlineStoreUrl" TEXT,
ADD COLUMN "options" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "variantOptionValues" TEXT[],
ADD COLUMN "variantSkus" TEXT[];

-- Products mirrored before this migration were all sellable as far as the mirror knew.
UPDATE "Product" SET "publishedAt" = "updatedAt" WHERE "status" = 'active';

ALTER TABLE "Product" ADD COLUMN "searchDocument" tsvector
  GENERATED ALWAYS AS (catalog_search_document("title", "productType", "tags", "vendor", "variantOptionValues", "variantSkus", "description")) STORED;

-- AlterTable
ALTER TABLE "ProductVariant" ADD COLUMN "compareAtPrice" DECIMAL(12,2),
ADD COLUMN "inventoryPolicy" TEXT NOT NULL DEFAULT 'deny',
ADD COLUMN "position" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "optionValues" TEXT[];

-- CreateTable
CREATE TABLE "SearchSynonym" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "synonyms" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SearchSynonym_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchTerm" (
    "shopId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "term" TEXT NOT NULL,

    CONSTRAINT "SearchTerm_pkey" PRIMARY KEY ("shopId","scope","term")
);

-- CreateIndex
CREATE INDEX "Product_shopId_searchDocument_idx" ON "Product" USING GIN ("shopId", "searchDocument");

-- CreateIndex
CREATE UNIQUE INDEX "SearchSynonym_shopId_term_key" ON "SearchSynonym"("shopId", "term");

-- CreateIndex
CREATE INDEX "SearchTerm_shopId_scope_term_idx" ON "SearchTerm" USING GIN ("shopId", "scope", "term" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "SearchSynonym" ADD CONSTRAINT "SearchSynonym_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SearchTerm" ADD CONSTRAINT "SearchTerm_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The words typo correction may pick from: every word of 3+ letters a shopper could mean, stop words aside.
-- Kept by a trigger so every way a product is saved feeds it; a word a product no longer uses stays (harmless:
-- a correction only rewrites the query, never a result).
CREATE FUNCTION search_remember_terms(shop_id text, term_scope text, content text) RETURNS void
  LANGUAGE sql VOLATILE
  BEGIN ATOMIC
    INSERT INTO "SearchTerm" ("shopId", "scope", "term")
    SELECT DISTINCT shop_id, term_scope, word
    FROM regexp_split_to_table(search_fold(content), '[^[:alnum:]]+') AS word
    WHERE length(word) >= 3 AND word !~ '^[0-9]+$' AND length(to_tsvector('english'::regconfig, word)) > 0
    ON CONFLICT DO NOTHING;
  END;

CREATE FUNCTION catalog_remember_terms() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM search_remember_terms(NEW."shopId", 'catalog', concat_ws(' ', NEW."title", NEW."productType", array_to_string(NEW."tags", ' '), NEW."vendor", array_to_string(NEW."variantOptionValues", ' '), NEW."description"));
  RETURN NULL;
END
$$;

CREATE TRIGGER "Product_remember_search_terms"
  AFTER INSERT OR UPDATE OF "title", "productType", "tags", "vendor", "variantOptionValues", "description" ON "Product"
  FOR EACH ROW EXECUTE FUNCTION catalog_remember_terms();

SELECT search_remember_terms("shopId", 'catalog', concat_ws(' ', "title", "productType", array_to_string("tags", ' '), "vendor", "description")) FROM "Product";

-- One alternative a shopper's concept can be satisfied by ("running shoes", "trainer"): its English stems, its
-- words as written, and for a single longer word any word it begins ("hood" finds "hoodie").
CREATE FUNCTION search_tsquery(phrase text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN phraseto_tsquery('english'::regconfig, search_fold(phrase))
    || phraseto_tsquery('simple'::regconfig, search_fold(phrase))
    || CASE WHEN search_fold(phrase) ~ '^[[:alnum:]]{4,}$' THEN to_tsquery('simple'::regconfig, search_fold(phrase) || ':*') ELSE ''::tsquery END;

CREATE AGGREGATE tsquery_or_agg(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
