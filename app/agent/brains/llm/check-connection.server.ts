import OpenAI from "openai";

/** What the endpoint answered; the admin words it (app/admin/strings). */
export type ConnectionCheck =
  | { ok: true; model: string }
  | { ok: false; reason: "unauthorized" | "not-found" | "timeout" | "unreachable" }
  | { ok: false; reason: "refused"; status: number | null; detail: string };

const CHECK_TIMEOUT_MS = 10_000;

/**
 * The Guidance page's "check connection": one tiny chat completion against the merchant's endpoint, with the key
 * they typed (or the saved one), so a wrong URL, key or model shows before a shopper meets the fallback.
 */
export async function checkLlmConnection(settings: { baseUrl: string; model: string; apiKey: string }): Promise<ConnectionCheck> {
  const client = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey, timeout: CHECK_TIMEOUT_MS, maxRetries: 0 });
  try {
    const completion = await client.chat.completions.create({ model: settings.model, messages: [{ role: "user", content: "Reply with OK." }], max_tokens: 5 });
    return { ok: true, model: completion.model || settings.model };
  } catch (error) {
    if (error instanceof OpenAI.AuthenticationError) return { ok: false, reason: "unauthorized" };
    if (error instanceof OpenAI.NotFoundError) return { ok: false, reason: "not-found" };
    if (error instanceof OpenAI.APIConnectionTimeoutError) return { ok: false, reason: "timeout" };
    if (error instanceof OpenAI.APIConnectionError) return { ok: false, reason: "unreachable" };
    if (error instanceof OpenAI.APIError) return { ok: false, reason: "refused", status: error.status ?? null, detail: error.message };
    throw error;
  }
}
