import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { signAppProxyQuery } from "../../fakes/shopify/server";

/** What shoppers ask, in order; after the last one the conversation is resolved and the next starts afresh. */
export const CHAT_SCRIPT = [
  "Hi! Do you have a rain jacket under $200?",
  "anything cheaper?",
  "do you have hoodies in navy",
  "What is your return policy?",
  "thanks, that's all",
];

export interface ChatLoad {
  appUrl: string;
  secret: string;
  /** Turns sent from then on are measured. */
  measureFrom: number;
  endAt: number;
  thinkMs: [number, number];
  pollMs: number;
}

export interface ChatResults {
  /** Sent → the agent's reply readable, per measured turn. */
  latencies: number[];
  /** The same latencies by the script's message, to see which kind of turn makes the tail. */
  latenciesByMessage: Record<string, number[]>;
  errors: number;
  polls: number;
  /** Every failed request (turns and polls) with when it failed and its status (0: no answer). */
  failures: Array<{ at: number; status: number }>;
}

export function emptyChatResults(): ChatResults {
  return { latencies: [], latenciesByMessage: {}, errors: 0, polls: 0, failures: [] };
}

interface View {
  conversationId: string;
  agentTyping: boolean;
  messages: Array<{ author: string }>;
}

class RequestFailed extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A storefront request as Shopify's app proxy forwards it: the widget's path under /proxy, the signed query. */
export function appProxyUrl(appUrl: string, shop: string, secret: string, pathname: string, extra: Record<string, string> = {}): string {
  const url = new URL(`/proxy${pathname}`, appUrl);
  const params = { shop, path_prefix: "/apps/customer-agent", timestamp: String(Math.floor(Date.now() / 1000)), logged_in_customer_id: "", ...extra };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set("signature", signAppProxyQuery(url.searchParams, secret));
  return url.toString();
}

async function call(url: string, body?: object): Promise<View> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: body ? "POST" : "GET",
      headers: { "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new RequestFailed(0, (error as Error).message);
  }
  if (!response.ok) throw new RequestFailed(response.status, `${response.status} ${await response.text()}`);
  return (await response.json()) as View;
}

/**
 * One shopper of `shop` chatting as the widget does until `load.endAt`: a message (with consent, so its events go
 * to Klaviyo), the agent's answer (in the POST's answer, or polled while `agentTyping`), a pause with a poll every
 * `pollMs`, the next message of the script, and a new conversation after the last.
 */
export async function chatShopper(load: ChatLoad, shop: string, results: ChatResults, log: (message: string) => void) {
  const proxyUrl = (pathname: string, extra?: Record<string, string>) => appProxyUrl(load.appUrl, shop, load.secret, pathname, extra);
  const random = (low: number, high: number) => low + Math.random() * (high - low);
  const failed = (error: unknown) => {
    results.failures.push({ at: Date.now(), status: error instanceof RequestFailed ? error.status : 0 });
  };
  const anonymousId = randomUUID();
  const consent = { analytics: true, marketing: true };
  let conversationId: string | null = null;
  let step = 0;
  let nextPoll = Date.now() + load.pollMs;
  await sleep(random(0, load.thinkMs[1]));
  while (Date.now() < load.endAt) {
    const message = CHAT_SCRIPT[step % CHAT_SCRIPT.length]!;
    const sentAt = Date.now();
    try {
      let view: View = conversationId
        ? await call(proxyUrl(`/conversations/${conversationId}/messages`), { anonymousId, message, consent })
        : await call(proxyUrl("/conversations"), { anonymousId, message, consent });
      conversationId = view.conversationId;
      while (view.agentTyping && Date.now() < load.endAt + 30_000) {
        await sleep(100);
        view = await call(proxyUrl(`/conversations/${conversationId}`, { anonymousId }));
      }
      if (view.messages.at(-1)?.author !== "agent") throw new Error("no agent reply");
      if (sentAt >= load.measureFrom && Date.now() <= load.endAt) {
        results.latencies.push(Date.now() - sentAt);
        (results.latenciesByMessage[message] ??= []).push(Date.now() - sentAt);
      }
    } catch (error) {
      failed(error);
      if (sentAt >= load.measureFrom) results.errors++;
      if (results.errors <= 5) log(`error: ${(error as Error).message.slice(0, 200)}`);
    }
    step++;
    if (step % CHAT_SCRIPT.length === 0) conversationId = null;
    // The widget keeps polling while the shopper reads and types.
    const typeUntil = Date.now() + random(...load.thinkMs);
    while (Date.now() < typeUntil && Date.now() < load.endAt) {
      const wait = Math.min(typeUntil, nextPoll) - Date.now();
      if (wait > 0) await sleep(wait);
      if (Date.now() >= nextPoll && conversationId) {
        nextPoll = Date.now() + load.pollMs;
        await call(proxyUrl(`/conversations/${conversationId}`, { anonymousId })).then(
          () => results.polls++,
          (error: unknown) => {
            failed(error);
            results.errors++;
          },
        );
      } else if (Date.now() >= nextPoll) nextPoll = Date.now() + load.pollMs;
    }
  }
}

/** The value at percentile `p` (0–100) of ascending `sorted`, or null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null;
}
