import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";

/**
 * A local OpenAI-compatible chat-completions server (`POST /v1/chat/completions`, bearer key, `tools` and
 * `tool_calls` as OpenAI sends them, `usage` on every answer). Tests script it turn by turn: a step answers with
 * tool calls, with text, with an HTTP error, or after a delay. Unscripted, it behaves like a small cautious model
 * (the demo's LLM brain): it calls the tool the shopper's words suggest, then answers from the tool result only.
 */

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: Array<{ type: "function"; function: { name: string; description?: string; parameters?: unknown } }>;
  max_tokens?: number;
}

export type ScriptStep =
  | { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> }
  | { content: string }
  | { status: number; body?: unknown }
  | { delayMs: number; then: ScriptStep };

export interface FakeOpenAi {
  url: string;
  /** The base URL an OpenAI client takes (`…/v1`). */
  baseUrl: string;
  apiKey: string;
  /** Queues answers for the next requests, in order; unscripted requests get the default behaviour. */
  script(...steps: ScriptStep[]): void;
  requests: ChatRequest[];
  close(): Promise<void>;
}

const PROMPT_TOKENS_PER_CHAR = 0.25;

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "null"));
      } catch (error) {
        reject(error);
      }
    });
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

function error(response: ServerResponse, status: number, message: string, type = "invalid_request_error") {
  send(response, status, { error: { message, type, param: null, code: null } });
}

/** What the default model does when no test scripted the turn. */
function defaultStep(request: ChatRequest): ScriptStep {
  const last = request.messages.at(-1);
  const toolNames = new Set((request.tools ?? []).map((tool) => tool.function.name));
  if (last?.role === "tool") return { content: answerFromToolResult(last.content ?? "") };
  const text = (last?.content ?? "").toLowerCase();
  if (toolNames.has("handoff") && /\b(human|person|agent|someone|personne|humain|persona|mensch)\b/.test(text)) {
    return { toolCalls: [{ name: "handoff", arguments: {} }] };
  }
  if (toolNames.has("order-status") && /\b(order|commande|pedido|bestellung|tracking)\b|#\d+/.test(text)) {
    const orderNumber = text.match(/#?(\d{4,})/)?.[1];
    const email = text.match(/[^\s@]+@[^\s@]+\.[a-z]{2,}/)?.[0];
    return { toolCalls: [{ name: "order-status", arguments: { ...(orderNumber ? { orderNumber } : {}), ...(email ? { email } : {}) } }] };
  }
  if (toolNames.has("store-knowledge") && /\b(return|refund|ship|delivery|policy|privacy|retour|livraison|envío|devoluci|versand|rückgabe)/.test(text)) {
    return { toolCalls: [{ name: "store-knowledge", arguments: { question: text } }] };
  }
  if (toolNames.has("product-recommendations")) {
    return { toolCalls: [{ name: "product-recommendations", arguments: { query: text.replace(/[^\p{L}\p{N}\s]/gu, " ").trim() } }] };
  }
  return { content: "How can I help you today?" };
}

/** Answers only with what the tool returned: product titles, prices and links; the order's status; the passage. */
function answerFromToolResult(content: string): string {
  let result: Record<string, unknown>;
  try {
    result = JSON.parse(content) as Record<string, unknown>;
  } catch {
    return "Sorry, I could not read that.";
  }
  const products = result.products as Array<{ title: string; price: string; currencyCode: string; url: string }> | undefined;
  if (products?.length) {
    return ["Here is what I found:", ...products.map((product) => `• ${product.title}: ${product.price} ${product.currencyCode} ${product.url}`)].join("\n");
  }
  const order = result.order as { name: string; fulfillmentStatus: string | null; financialStatus: string | null } | undefined;
  if (order) return `Order ${order.name} is ${order.fulfillmentStatus ?? "unfulfilled"} (payment ${order.financialStatus ?? "pending"}).`;
  const passages = result.passages as Array<{ title: string; passage: string; url: string | null }> | undefined;
  if (passages?.length) return `${passages[0]!.title}: “${passages[0]!.passage}” ${passages[0]!.url ?? ""}`.trim();
  if (result.status === "handoff") return "I've asked a person on our team to join this conversation.";
  if (result.status === "needs-info") return "Could you tell me a bit more?";
  return "I couldn't find that, sorry.";
}

function completion(request: ChatRequest, step: Extract<ScriptStep, { toolCalls: unknown } | { content: string }>) {
  const promptTokens = Math.ceil(JSON.stringify(request.messages).length * PROMPT_TOKENS_PER_CHAR);
  const message =
    "toolCalls" in step
      ? {
          role: "assistant",
          content: null,
          tool_calls: step.toolCalls.map((call) => ({
            id: `call_${randomUUID().replace(/-/g, "").slice(0, 24)}`,
            type: "function",
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        }
      : { role: "assistant", content: step.content };
  const completionTokens = Math.ceil(JSON.stringify(message).length * PROMPT_TOKENS_PER_CHAR);
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [{ index: 0, message, finish_reason: "toolCalls" in step ? "tool_calls" : "stop", logprobs: null }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

function validRequest(body: unknown): body is ChatRequest {
  const candidate = body as ChatRequest | null;
  return Boolean(
    candidate &&
      typeof candidate.model === "string" &&
      Array.isArray(candidate.messages) &&
      candidate.messages.length > 0 &&
      candidate.messages.every((message) => ["system", "user", "assistant", "tool"].includes(message.role)),
  );
}

export async function startFakeOpenAi(options: { port?: number; apiKey?: string } = {}): Promise<FakeOpenAi> {
  const apiKey = options.apiKey ?? `sk-fake-${randomUUID()}`;
  const queue: ScriptStep[] = [];
  const requests: ChatRequest[] = [];

  async function answer(response: ServerResponse, request: ChatRequest, step: ScriptStep): Promise<void> {
    if ("delayMs" in step) {
      await new Promise((resolve) => setTimeout(resolve, step.delayMs));
      if (response.destroyed) return;
      return answer(response, request, step.then);
    }
    if ("status" in step) return send(response, step.status, step.body ?? { error: { message: "scripted failure", type: "server_error" } });
    send(response, 200, completion(request, step));
  }

  const server = createServer(async (request, response) => {
    try {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      if (request.method !== "POST" || !/^(\/v1)?\/chat\/completions$/.test(path)) return error(response, 404, `Unknown path ${path}`);
      if (request.headers.authorization !== `Bearer ${apiKey}`) return error(response, 401, "Incorrect API key provided.", "invalid_api_key");
      const body = await readJson(request);
      if (!validRequest(body)) return error(response, 400, "model and a non-empty messages array are required");
      requests.push(body);
      await answer(response, body, queue.shift() ?? defaultStep(body));
    } catch (failure) {
      error(response, 400, failure instanceof Error ? failure.message : "bad request");
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    apiKey,
    requests,
    script: (...steps) => void queue.push(...steps),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const index = process.argv.indexOf("--port");
  const fake = await startFakeOpenAi({ port: index > 0 ? Number(process.argv[index + 1]) : 4020, apiKey: "sk-demo" });
  console.log(`Fake OpenAI-compatible API on ${fake.baseUrl} (key sk-demo)`);
}
