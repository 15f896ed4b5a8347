import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** What the logs of one HTTP request carry: its id, and the shop and conversation once the request names them. */
export interface RequestContext {
  reqId: string;
  shop?: string;
  conversationId?: string;
}

declare global {
  var requestContextStorage: AsyncLocalStorage<RequestContext> | undefined;
}

/**
 * One store per process on globalThis, like the logger: server.ts (loaded by tsx) opens the context and the built
 * app (its own copy of this module) annotates it and logs from inside it.
 */
function storage(): AsyncLocalStorage<RequestContext> {
  globalThis.requestContextStorage ??= new AsyncLocalStorage<RequestContext>();
  return globalThis.requestContextStorage;
}

/** A caller's id is kept when it looks like one (a load balancer's or Shopify's), so one request has one id end to end. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | undefined): string {
  return header && ACCEPTABLE_REQUEST_ID.test(header) ? header : randomUUID();
}

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage().run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage().getStore();
}

/** Adds what the request turned out to be about (outside a request, e.g. in a job, this does nothing). */
export function annotateRequest(facts: { shop?: string; conversationId?: string }) {
  const context = storage().getStore();
  if (!context) return;
  if (facts.shop) context.shop = facts.shop;
  if (facts.conversationId) context.conversationId = facts.conversationId;
}
