import { InvalidShopError } from "@shopify/shopify-api";
import { z } from "zod";
import { clientAddress, ConversationFullError, isAutomatedClient, MAX_SHOPPER_MESSAGES_PER_CONVERSATION, RateLimitedError, takeMessageAllowance } from "../abuse/limits.server";
import { answerShopperMessage } from "../agent/shopper-turns.server";
import { CARD_INTERACTION_KINDS, recordCardInteraction } from "../analytics/card-interactions.server";
import { escalateConversation, SHOPPER_REQUESTED } from "../conversations/conversations.server";
import {
  ConversationNotFoundError,
  MAX_MESSAGE_LENGTH,
  readShopperConversation,
  ShopGoneError,
  type ShopperConversationView,
} from "../conversations/shopper-messages.server";
import { readJsonBody, parseInput } from "../http/body.server";
import { errorResponse, HttpError } from "../http/errors";
import { storableText } from "../http/text";
import { consentInput, mayShareWithKlaviyo, type ShopperClaims } from "../identity/identity.server";
import { detectContactDetails } from "../identity/normalize";
import { authenticate } from "../shopify.server";
import { findInstalledShop, type InstalledShop } from "../shops/shops.server";
import { logger } from "../logger.server";
import { annotateRequest } from "../operations/request-context.server";

/**
 * The storefront widget's API, reached through Shopify's app proxy (`/apps/customer-agent/*` → `/proxy/*`).
 * The library verifies the proxy signature; the shop and the logged-in customer come only from the signed query.
 */
export const STOREFRONT_BODY_LIMIT_BYTES = 64 * 1024;
const NO_STORE = { "Cache-Control": "no-store" };

const anonymousId = storableText().trim().min(8).max(100);
const message = storableText()
  .trim()
  .min(1, "message is empty")
  .max(MAX_MESSAGE_LENGTH, `message is longer than ${MAX_MESSAGE_LENGTH} characters`);

const startInput = z.object({
  anonymousId,
  message,
  email: storableText().max(320).nullish(),
  phone: storableText().max(32).nullish(),
  klaviyoExchangeId: storableText().max(200).nullish(),
  consent: consentInput,
});
const messageInput = startInput.pick({ anonymousId: true, message: true, email: true, phone: true, klaviyoExchangeId: true, consent: true });
const escalateInput = z.object({ anonymousId });
const cardInteractionInput = z.object({
  anonymousId,
  productId: storableText().trim().min(1).max(200),
  kind: z.enum(CARD_INTERACTION_KINDS),
});
/** Card interactions are a few bytes; anything bigger is not the widget. */
const CARD_INTERACTION_BODY_LIMIT_BYTES = 2 * 1024;
const conversationId = storableText().min(1).max(100);
/** A poll's cursor: the createdAt of the newest message the widget has; absent, the whole thread. */
const pollCursor = z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional();

interface ProxyContext {
  shop: InstalledShop;
  loggedInCustomerId: string | null;
}

async function authenticateProxy(request: Request): Promise<ProxyContext> {
  let session;
  try {
    ({ session } = await authenticate.public.appProxy(request));
  } catch (failure) {
    // The library answers a bad or missing signature with 400; to the caller it is an unauthenticated request.
    if (failure instanceof Response && failure.status === 400) throw new HttpError(401, "Invalid app proxy signature");
    if (failure instanceof InvalidShopError) throw new HttpError(400, "shop: not a myshopify.com domain", { field: "shop" });
    throw failure;
  }
  const shop = session ? await findInstalledShop(session.shop) : null;
  if (!shop) throw new HttpError(404, "The chat is not available in this store");
  annotateRequest({ shop: shop.domain });
  return { shop, loggedInCustomerId: new URL(request.url).searchParams.get("logged_in_customer_id") || null };
}

function claims(context: ProxyContext, input: z.infer<typeof messageInput>): ShopperClaims {
  return {
    anonymousId: input.anonymousId,
    shopifyCustomerId: context.loggedInCustomerId,
    email: input.email,
    phone: input.phone,
    klaviyoExchangeId: input.klaviyoExchangeId,
    consent: input.consent,
  };
}

/** Counts the message against the shopper's, the address's and the shop's limits before anything is stored. */
async function admitMessage(request: Request, context: ProxyContext, anonymousId: string, conversationId?: string) {
  await takeMessageAllowance({ shopId: context.shop.id, shopperKey: anonymousId, ip: clientAddress(request), conversationId });
}

/** Crawlers and scripts get no conversation (each would cost an agent turn), before their body is even read. */
function refuseAutomatedClients(request: Request) {
  if (isAutomatedClient(request)) throw new HttpError(403, "The chat is for shoppers; automated clients cannot start conversations");
}

/**
 * The reply to a message that typed an email or phone carries it back for Klaviyo's onsite script
 * (`klaviyo.identify`), so the browser's Klaviyo profile becomes the shopper's, as Klaviyo's own forms do; only
 * when this message's consent would let the app itself share it.
 */
export interface OnsiteIdentify {
  email?: string;
  phone_number?: string;
}

function onsiteIdentify(context: ProxyContext, input: z.infer<typeof messageInput>): { identify?: OnsiteIdentify } {
  const consent = { analyticsConsent: input.consent.analytics ?? null, marketingConsent: input.consent.marketing ?? null };
  if (!mayShareWithKlaviyo(consent)) return {};
  const typed = detectContactDetails(input.message, context.shop.countryCode);
  if (!typed.email && !typed.phone) return {};
  return { identify: { ...(typed.email ? { email: typed.email } : {}), ...(typed.phone ? { phone_number: typed.phone } : {}) } };
}

type MessageAnswer = ShopperConversationView & { identify?: OnsiteIdentify };

export async function handleStartConversation(request: Request): Promise<MessageAnswer> {
  const context = await authenticateProxy(request);
  refuseAutomatedClients(request);
  const input = await readJsonBody(request, STOREFRONT_BODY_LIMIT_BYTES, startInput);
  await admitMessage(request, context, input.anonymousId);
  const received = await answerShopperMessage(context.shop, {
    shopId: context.shop.id,
    channel: "web_chat",
    defaultCountry: context.shop.countryCode,
    shopper: claims(context, input),
    body: input.message,
  });
  annotateRequest({ conversationId: received.conversationId });
  return { ...(await readShopperConversation(context.shop.id, received.conversationId, input.anonymousId)), ...onsiteIdentify(context, input) };
}

export async function handleShopperMessage(request: Request, id: string): Promise<MessageAnswer> {
  const context = await authenticateProxy(request);
  refuseAutomatedClients(request);
  const input = await readJsonBody(request, STOREFRONT_BODY_LIMIT_BYTES, messageInput);
  const continued = parseInput(conversationId, id);
  annotateRequest({ conversationId: continued });
  await admitMessage(request, context, input.anonymousId, continued);
  const received = await answerShopperMessage(context.shop, {
    shopId: context.shop.id,
    channel: "web_chat",
    defaultCountry: context.shop.countryCode,
    conversationId: continued,
    shopper: claims(context, input),
    body: input.message,
  });
  return { ...(await readShopperConversation(context.shop.id, received.conversationId, input.anonymousId)), ...onsiteIdentify(context, input) };
}

export async function handleEscalation(request: Request, id: string): Promise<ShopperConversationView> {
  const context = await authenticateProxy(request);
  const input = await readJsonBody(request, STOREFRONT_BODY_LIMIT_BYTES, escalateInput);
  annotateRequest({ conversationId: id });
  await readShopperConversation(context.shop.id, parseInput(conversationId, id), input.anonymousId);
  await escalateConversation({ shopId: context.shop.id, conversationId: id, reason: SHOPPER_REQUESTED });
  return readShopperConversation(context.shop.id, id, input.anonymousId);
}

/**
 * The widget reports an add to cart or a product link click on one of the agent's cards (sent with fetch keepalive,
 * so a click that leaves the page still arrives). Not counted against the message limits: it starts no turn, and a
 * repeat is stored once.
 */
export async function handleCardInteraction(request: Request, id: string): Promise<{ recorded: boolean }> {
  const context = await authenticateProxy(request);
  annotateRequest({ conversationId: id });
  const input = await readJsonBody(request, CARD_INTERACTION_BODY_LIMIT_BYTES, cardInteractionInput);
  const outcome = await recordCardInteraction({ shopId: context.shop.id, conversationId: parseInput(conversationId, id), ...input });
  if (outcome === "unknown-conversation") throw new ConversationNotFoundError(`Conversation ${id} not found`);
  if (outcome === "unknown-card") throw new HttpError(400, "productId: not a product the agent showed in this conversation", { field: "productId" });
  return { recorded: outcome === "recorded" };
}

export async function handleConversationPoll(request: Request, id: string): Promise<ShopperConversationView> {
  const context = await authenticateProxy(request);
  annotateRequest({ conversationId: id });
  const shopperId = anonymousId.safeParse(new URL(request.url).searchParams.get("anonymousId"));
  if (!shopperId.success) throw new HttpError(400, "anonymousId query parameter is required", { field: "anonymousId" });
  const after = pollCursor.safeParse(new URL(request.url).searchParams.get("after") ?? undefined);
  if (!after.success) throw new HttpError(400, "after must be an ISO 8601 time such as a message's createdAt", { field: "after" });
  return readShopperConversation(context.shop.id, parseInput(conversationId, id), shopperId.data, after.data ?? null);
}

/**
 * This boundary's one error mapping, for every answer the widget gets: JSON, never cached (the proxy sits behind
 * Shopify's CDN). Bad input is a 400 naming the field, an unknown or foreign conversation a 404, too many messages
 * a 429 with Retry-After (a full conversation a 409), an unreachable database a 503 with Retry-After; anything else
 * is a real failure and propagates.
 */
export async function storefrontJson(work: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await work(), { headers: NO_STORE });
  } catch (error) {
    if (error instanceof ConversationNotFoundError) return errorResponse(new HttpError(404, "Conversation not found"), NO_STORE);
    if (error instanceof ShopGoneError) return errorResponse(new HttpError(404, "The chat is not available in this store"), NO_STORE);
    if (error instanceof RateLimitedError) {
      const wait = error.retryAfterSeconds;
      const message = `You are sending messages faster than we can answer. Please wait ${wait} second${wait === 1 ? "" : "s"} and try again.`;
      return errorResponse(new HttpError(429, message, { retryAfterSeconds: wait }), NO_STORE);
    }
    if (error instanceof ConversationFullError) {
      const message = `This conversation has reached ${MAX_SHOPPER_MESSAGES_PER_CONVERSATION} messages. Please start a new one.`;
      return errorResponse(new HttpError(409, message, { field: "conversationId" }), NO_STORE);
    }
    try {
      return errorResponse(error, NO_STORE);
    } catch {
      logger().error({ source: "storefront", err: error }, "storefront request failed");
      return Response.json({ error: "Something went wrong, please try again" }, { status: 500, headers: NO_STORE });
    }
  }
}
