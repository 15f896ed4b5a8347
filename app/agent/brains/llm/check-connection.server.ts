import OpenAI from "openai";

export type ConnectionCheck = { ok: true; model: string } | { ok: false; message: string };

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
    if (error instanceof OpenAI.AuthenticationError) return { ok: false, message: "The endpoint refused the API key (401)." };
    if (error instanceof OpenAI.NotFoundError) return { ok: false, message: "The endpoint answered 404: check the base URL (it usually ends in /v1) and the model name." };
    if (error instanceof OpenAI.APIConnectionTimeoutError) return { ok: false, message: "The endpoint did not answer within 10 seconds." };
    if (error instanceof OpenAI.APIConnectionError) return { ok: false, message: "The endpoint could not be reached: check the base URL." };
    if (error instanceof OpenAI.APIError) return { ok: false, message: `The endpoint answered ${error.status ?? "an error"}: ${error.message}` };
    throw error;
  }
}
