import type { Message } from "@prisma/client";
import { z } from "zod";
import {
  addShopperMessage,
  ConversationNotFoundError,
  escalateConversation,
  findShopperConversation,
  MAX_MESSAGE_LENGTH,
  SHOPPER_REQUESTED,
  startConversation,
  type ConversationWithMessages,
} from "../conversations/conversations.server";
import { consentInput, type ShopperClaims } from "../identity/identity.server";
import { authenticate } from "../shopify.server";
import { requireShop } from "../shops/shops.server";

/**
 * The storefront widget's API, reached through Shopify's app proxy (`/apps/customer-agent/*` → `/proxy/*`).
 * The library verifies the proxy signature; the shop and the logged-in customer come only from the signed query.
 */
export class StorefrontApiError extends Error {
  override name = "StorefrontApiError";
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

const anonymousId = z.string().trim().min(8).max(100);
const message = z.string().trim().min(1, "message is empty").max(MAX_MESSAGE_LENGTH, `message is longer than ${MAX_MESSAGE_LENGTH} characters`);

const startInput = z.object({
  anonymousId,
  message,
  email: z.string().max(320).nullish(),
  phone: z.string().max(32).nullish(),
  klaviyoExchangeId: z.string().max(200).nullish(),
  consent: consentInput,
});
const messageInput = startInput.pick({ anonymousId: true, message: true, email: true, phone: true, consent: true });
const escalateInput = z.object({ anonymousId });

interface ProxyContext {
  shopId: string;
  loggedInCustomerId: string | null;
}

async function authenticateProxy(request: Request): Promise<ProxyContext> {
  try {
    await authenticate.public.appProxy(request);
  } catch (failure) {
    // The library answers a bad or missing signature with 400; to the caller it is an unauthenticated request.
    if (failure instanceof Response && failure.status === 400) throw new Response("Invalid app proxy signature", { status: 401 });
    throw failure;
  }
  const url = new URL(request.url);
  const shop = await requireShop(url.searchParams.get("shop")!);
  return { shopId: shop.id, loggedInCustomerId: url.searchParams.get("logged_in_customer_id") || null };
}

async function parseBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new StorefrontApiError(400, "Request body must be JSON");
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new StorefrontApiError(400, result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "));
  }
  return result.data;
}

function toView(conversation: ConversationWithMessages) {
  return {
    conversationId: conversation.id,
    status: conversation.status,
    messages: conversation.messages.map((entry: Message) => ({
      id: entry.id,
      author: entry.author,
      body: entry.body,
      createdAt: entry.createdAt.toISOString(),
    })),
  };
}

function claims(context: ProxyContext, input: Partial<z.infer<typeof startInput>> & { anonymousId: string }): ShopperClaims {
  return {
    anonymousId: input.anonymousId,
    shopifyCustomerId: context.loggedInCustomerId,
    email: input.email,
    phone: input.phone,
    klaviyoExchangeId: input.klaviyoExchangeId,
    consent: input.consent,
  };
}

export async function handleStartConversation(request: Request) {
  const context = await authenticateProxy(request);
  const input = await parseBody(request, startInput);
  const conversation = await startConversation({
    shopId: context.shopId,
    channel: "web_chat",
    shopper: claims(context, input),
    firstMessage: input.message,
  });
  return toView(conversation);
}

export async function handleShopperMessage(request: Request, conversationId: string) {
  const context = await authenticateProxy(request);
  const input = await parseBody(request, messageInput);
  return toView(
    await addShopperMessage({ shopId: context.shopId, conversationId, shopper: claims(context, input), body: input.message }),
  );
}

export async function handleEscalation(request: Request, conversationId: string) {
  const context = await authenticateProxy(request);
  const input = await parseBody(request, escalateInput);
  await findShopperConversation(context.shopId, conversationId, input.anonymousId);
  await escalateConversation({ shopId: context.shopId, conversationId, reason: SHOPPER_REQUESTED });
  return toView(await findShopperConversation(context.shopId, conversationId, input.anonymousId));
}

export async function handleConversationPoll(request: Request, conversationId: string) {
  const context = await authenticateProxy(request);
  const id = anonymousId.safeParse(new URL(request.url).searchParams.get("anonymousId"));
  if (!id.success) throw new StorefrontApiError(400, "anonymousId query parameter is required");
  return toView(await findShopperConversation(context.shopId, conversationId, id.data));
}

/** Turns this boundary's errors into JSON the widget can show; anything else is a real failure and propagates. */
export async function storefrontJson(work: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await work(), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof StorefrontApiError) return Response.json({ error: error.message }, { status: error.status });
    if (error instanceof ConversationNotFoundError) return Response.json({ error: "Conversation not found" }, { status: 404 });
    throw error;
  }
}
