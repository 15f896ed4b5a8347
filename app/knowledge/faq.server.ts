import type { FaqEntry } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";

/** The one error type of FAQ editing: what the merchant entered, or which entry, is wrong; nothing was changed. */
export class FaqEntryError extends Error {
  override name = "FaqEntryError";
}

const question = z.string().trim().min(3, "Write the question as shoppers ask it.").max(300, "Keep the question under 300 characters.");
const answer = z.string().trim().min(1, "Write the answer the agent should quote.").max(2000, "Keep the answer under 2,000 characters.");
const createInput = z.object({ question, answer, enabled: z.boolean().default(true) });
const updateInput = z.object({ question, answer, enabled: z.boolean(), position: z.number().int().min(1) }).partial();

export type FaqEntryInput = z.input<typeof createInput>;
export type FaqEntryUpdate = z.input<typeof updateInput>;

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new FaqEntryError(parsed.error.issues.map((issue) => issue.message).join(" "));
  return parsed.data;
}

export async function listFaqEntries(shopId: string): Promise<FaqEntry[]> {
  return db().faqEntry.findMany({ where: { shopId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
}

/** Adds an entry at the end of the shop's list. */
export async function createFaqEntry(shopId: string, input: FaqEntryInput): Promise<FaqEntry> {
  const data = parse(createInput, input);
  return db().$transaction(async (tx) => {
    // Serialises concurrent adds for one shop, so two entries never get the same position.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('faq:' || ${shopId}))`;
    const last = await tx.faqEntry.aggregate({ where: { shopId }, _max: { position: true } });
    return tx.faqEntry.create({ data: { shopId, ...data, position: (last._max.position ?? 0) + 1 } });
  });
}

/** Changes an entry of this shop; an id of another shop's entry is "not found", never changed. */
export async function updateFaqEntry(shopId: string, id: string, changes: FaqEntryUpdate): Promise<FaqEntry> {
  const data = parse(updateInput, changes);
  const { count } = await db().faqEntry.updateMany({ where: { id, shopId }, data });
  if (count === 0) throw new FaqEntryError("This FAQ entry no longer exists.");
  return db().faqEntry.findUniqueOrThrow({ where: { id } });
}

export async function deleteFaqEntry(shopId: string, id: string): Promise<void> {
  const { count } = await db().faqEntry.deleteMany({ where: { id, shopId } });
  if (count === 0) throw new FaqEntryError("This FAQ entry no longer exists.");
}
