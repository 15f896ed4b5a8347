import { z } from "zod";

// PostgreSQL's text cannot hold NUL, and a lone UTF-16 surrogate has no UTF-8 form: either would fail deep in
// the database as a 500. They are refused at the boundary instead, naming the field.
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string field a shopper or Shopify sends that will be stored as text. */
export function storableText() {
  return z.string().refine((value) => !NUL_OR_LONE_SURROGATE.test(value), { message: "contains a NUL character or an unpaired surrogate" });
}
