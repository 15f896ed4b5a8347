import { z } from "zod";
import { en } from "../../admin/strings/en";
import { db } from "../../db.server";
import { createFaqEntry, deleteFaqEntry, FaqEntryError, listFaqEntries, updateFaqEntry } from "../../knowledge/faq.server";
import { syncPolicies } from "../../knowledge/policies.server";
import { logger } from "../../logger.server";
import { faqEntryForm, fieldErrors, formValues, type FieldErrors } from "../../settings/sections";

export async function knowledgeFor(shopId: string) {
  const [policies, faq] = await Promise.all([
    db().shopPolicy.findMany({ where: { shopId }, orderBy: { title: "asc" }, select: { id: true, type: true, title: true, body: true, url: true, syncedAt: true } }),
    listFaqEntries(shopId),
  ]);
  return {
    policies: policies.map((policy) => ({ ...policy, syncedAt: policy.syncedAt.toISOString() })),
    faq: faq.map(({ id, question, answer, enabled }) => ({ id, question, answer, enabled })),
  };
}

export type KnowledgeResult = { section: string; ok: true; message: string } | { section: string; ok: false; fieldErrors: FieldErrors };

const idInput = z.object({ id: z.string().uuid() });

/** The knowledge page's actions; `section`: `policies`, `new-faq`, `faq:{id}`. */
export async function submitKnowledge(shop: { id: string; domain: string }, form: FormData): Promise<KnowledgeResult> {
  const intent = String(form.get("intent") ?? "");
  const values = formValues(form);
  const section = intent === "faq-create" ? "new-faq" : intent === "resync" ? "policies" : `faq:${String(values.id)}`;
  try {
    switch (intent) {
      case "resync":
        try {
          return { section, ok: true, message: en.knowledge.resynced(await syncPolicies(shop.domain)) };
        } catch (error) {
          logger().warn({ source: "knowledge", error }, "policy re-sync failed");
          return { section, ok: false, fieldErrors: { form: [en.knowledge.resyncFailed] } };
        }
      case "faq-create":
      case "faq-update": {
        const parsed = faqEntryForm.safeParse(values);
        if (!parsed.success) return { section, ok: false, fieldErrors: fieldErrors(parsed.error) };
        if (intent === "faq-create") await createFaqEntry(shop.id, parsed.data);
        else await updateFaqEntry(shop.id, idInput.parse(values).id, parsed.data);
        return { section, ok: true, message: en.knowledge.faqSaved };
      }
      case "faq-delete":
        await deleteFaqEntry(shop.id, idInput.parse(values).id);
        return { section: "faq", ok: true, message: en.knowledge.faqDeleted };
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  } catch (error) {
    if (error instanceof FaqEntryError) return { section, ok: false, fieldErrors: { form: [error.message] } };
    if (error instanceof z.ZodError) throw new Response("Malformed request", { status: 400 });
    throw error;
  }
}
