-- Store knowledge: the shop's policies (synced from the Admin API), split into the passages the agent quotes, and
-- the merchant's FAQ. Searched the way the catalog is: generated tsvectors (English stems and words as written,
-- accents folded by search_fold), typo correction against the shop's knowledge vocabulary (SearchTerm, scope
-- "knowledge", kept by triggers).

CREATE FUNCTION knowledge_search_document(main text, secondary text, context text)
  RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN
    setweight(to_tsvector('english'::regconfig, search_fold(coalesce(main, ''))), 'A')
    || setweight(to_tsvector('simple'::regconfig, search_fold(coalesce(main, ''))), 'A')
    || setweight(to_tsvector('english'::regconfig, search_fold(coalesce(secondary, ''))), 'B')
    || setweight(to_tsvector('english'::regconfig, search_fold(coalesce(context, ''))), 'C');

-- CreateTable
CREATE TABLE "ShopPolicy" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "url" TEXT,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopPolicyPassage" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "heading" TEXT,
    "text" TEXT NOT NULL,
    "policyTitle" TEXT NOT NULL,
    "searchDocument" tsvector GENERATED ALWAYS AS (knowledge_search_document("text", "heading", "policyTitle")) STORED,

    CONSTRAINT "ShopPolicyPassage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FaqEntry" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "searchDocument" tsvector GENERATED ALWAYS AS (knowledge_search_document("question", "answer", NULL)) STORED,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FaqEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ShopPolicy_shopId_type_key" ON "ShopPolicy"("shopId", "type");

-- CreateIndex
CREATE UNIQUE INDEX "ShopPolicyPassage_policyId_position_key" ON "ShopPolicyPassage"("policyId", "position");

-- CreateIndex
CREATE INDEX "ShopPolicyPassage_shopId_searchDocument_idx" ON "ShopPolicyPassage" USING GIN ("shopId", "searchDocument");

-- CreateIndex
CREATE INDEX "FaqEntry_shopId_position_idx" ON "FaqEntry"("shopId", "position");

-- CreateIndex
CREATE INDEX "FaqEntry_shopId_searchDocument_idx" ON "FaqEntry" USING GIN ("shopId", "searchDocument");

-- AddForeignKey
ALTER TABLE "ShopPolicy" ADD CONSTRAINT "ShopPolicy_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopPolicyPassage" ADD CONSTRAINT "ShopPolicyPassage_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopPolicyPassage" ADD CONSTRAINT "ShopPolicyPassage_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "ShopPolicy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FaqEntry" ADD CONSTRAINT "FaqEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The words typo correction may pick from for knowledge questions ("refnd" → refund), fed by every write.
CREATE FUNCTION policy_passage_remember_terms() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM search_remember_terms(NEW."shopId", 'knowledge', concat_ws(' ', NEW."text", NEW."heading", NEW."policyTitle"));
  RETURN NULL;
END
$$;

CREATE TRIGGER "ShopPolicyPassage_remember_search_terms"
  AFTER INSERT OR UPDATE OF "text", "heading", "policyTitle" ON "ShopPolicyPassage"
  FOR EACH ROW EXECUTE FUNCTION policy_passage_remember_terms();

CREATE FUNCTION faq_entry_remember_terms() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM search_remember_terms(NEW."shopId", 'knowledge', concat_ws(' ', NEW."question", NEW."answer"));
  RETURN NULL;
END
$$;

CREATE TRIGGER "FaqEntry_remember_search_terms"
  AFTER INSERT OR UPDATE OF "question", "answer" ON "FaqEntry"
  FOR EACH ROW EXECUTE FUNCTION faq_entry_remember_terms();
