-- Option filters ("hoodies in navy") compare folded words. Folding every candidate variant's option values inside
-- each search cost ~36 ms on a 10,000-product catalog (EXPLAIN ANALYZE, ADR 004); folded once on write instead.
-- Each value's words sit between spaces and values are kept apart by " | ", so a two-word colour ("light blue")
-- never matches across two options ("Light" and "Blue Stripe").
CREATE FUNCTION option_search_text(option_values text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ' ' || array_to_string(ARRAY(
    SELECT trim(regexp_replace(search_fold(option_value), '[^[:alnum:]]+', ' ', 'g')) FROM unnest(option_values) AS option_value
  ), ' | ') || ' ';

-- AlterTable
ALTER TABLE "ProductVariant" ADD COLUMN "optionText" TEXT GENERATED ALWAYS AS (option_search_text("optionValues")) STORED;
