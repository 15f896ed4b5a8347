import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local Twilio Messaging API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with basic auth (SID:auth
 * token), form-encoded `To`, `From`, `Body` or a template (`ContentSid` and `ContentVariables`), `StatusCallback`, answering 201 with the message resource as Twilio
 * does, then reporting `sent` and `delivered` to the status callback, signed. It records what was sent and shows it
 * at `/`. It also sends what Twilio sends an app: inbound message webhooks, form-encoded and signed with
 * X-Twilio-Signature exactly as Twilio computes it, and a "text the store" page (`/text-the-store`) for the demo.
 */

export interface SentTwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  /** Empty for a template message. */
  body: string;
  /** The template sent (Content API), null for a free-form message. */
  contentSid: string | null;
  /** The template's variables as parsed from `ContentVariables`. */
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
  status: string;
  at: number;
}

export interface InjectedTwilioFailure {
  status: number;
  /** How many send requests answer with it; defaults to 1. */
  count?: number;
  code?: number;
  message?: string;
}

/** The shop the demo's "text the store" page writes to. */
export interface TextTheStoreTarget {
  webhookUrl: string;
  accountSid: string;
  authToken: string;
  smsNumber: string;
  whatsappNumber: string;
  shopName: string;
}

export interface InboundTwilioMessage {
  webhookUrl: string;
  accountSid: string;
  authToken: string;
  channel: "sms" | "whatsapp";
  /** E.164 */
  from: string;
  /** E.164: the shop's number */
  to: string;
  body: string;
}

export interface FakeTwilio {
  url: string;
  close(): Promise<void>;
  addAccount(accountSid: string, authToken: string): void;
  messages(accountSid?: string): SentTwilioMessage[];
  failNext(failure: InjectedTwilioFailure): void;
  /** Posts an inbound message webhook to the app as Twilio would (signed with the account's auth token). */
  sendInbound(message: InboundTwilioMessage): Promise<Response>;
  setTextTheStore(target: TextTheStoreTarget): void;
  reset(): void;
}

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1 (auth token) of the URL followed by each POST parameter sorted by name, name and value with no separator. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

/** A form-encoded webhook signed as Twilio signs it; `signature` overrides it (a forged request). */
export async function postSignedTwilioWebhook(url: string, authToken: string, params: Record<string, string>, options: { signature?: string } = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
      "X-Twilio-Signature": options.signature ?? twilioSignature(authToken, url, params),
      "User-Agent": "TwilioProxy/1.1",
    },
    body: new URLSearchParams(params),
  });
}

export function inboundWebhookParams(message: Omit<InboundTwilioMessage, "webhookUrl" | "authToken">): Record<string, string> {
  const address = (phone: string) => (message.channel === "whatsapp" ? `whatsapp:${phone}` : phone);
  const sid = `SM${randomBytes(16).toString("hex")}`;
  return {
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    AccountSid: message.accountSid,
    MessagingServiceSid: "",
    From: address(message.from),
    To: address(message.to),
    Body: message.body,
    NumMedia: "0",
    NumSegments: "1",
    SmsStatus: "received",
    ApiVersion: "2010-04-01",
    ...(message.channel === "whatsapp" ? { ProfileName: "Demo shopper", WaId: message.from.replace(/^\+/, "") } : { FromCountry: "US", ToCountry: "US" }),
  };
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

export async function startFakeTwilio(options: { port?: number; statusCallbacks?: boolean } = {}): Promise<FakeTwilio> {
  const accounts = new Map<string, string>();
  const sent: SentTwilioMessage[] = [];
  const failures: Array<Required<Pick<InjectedTwilioFailure, "status">> & InjectedTwilioFailure & { remaining: number }> = [];
  let textTheStore: TextTheStoreTarget | null = null;
  const statusCallbacks = options.statusCallbacks ?? true;

  function authenticated(request: IncomingMessage, accountSid: string): boolean {
    const header = request.headers.authorization ?? "";
    if (!header.startsWith("Basic ")) return false;
    const [sid, token] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
    const expected = accounts.get(accountSid);
    if (!expected || sid !== accountSid || token === undefined) return false;
    const given = Buffer.from(token);
    const wanted = Buffer.from(expected);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }

  async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
  }

  const json = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  const twilioError = (response: ServerResponse, status: number, code: number, message: string) =>
    json(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

  function reportStatus(message: SentTwilioMessage) {
    if (!statusCallbacks || !message.statusCallback) return;
    const authToken = accounts.get(message.accountSid)!;
    const callback = message.statusCallback;
    const report = async (status: string) => {
      message.status = status;
      const params = { MessageSid: message.sid, SmsSid: message.sid, AccountSid: message.accountSid, From: message.from, To: message.to, MessageStatus: status, SmsStatus: status, ApiVersion: "2010-04-01" };
      await postSignedTwilioWebhook(callback, authToken, params).then((answer) => answer.body?.cancel(), () => undefined);
    };
    setTimeout(() => void report("sent").then(() => report("delivered")), 20);
  }

  async function handleSend(request: IncomingMessage, response: ServerResponse, accountSid: string) {
    const form = await readForm(request);
    if (!authenticated(request, accountSid)) return twilioError(response, 401, 20003, "Authenticate");
    const failure = failures[0];
    if (failure) {
      if (--failure.remaining <= 0) failures.shift();
      return twilioError(response, failure.status, failure.code ?? (failure.status >= 500 ? 20500 : 21211), failure.message ?? (failure.status >= 500 ? "Internal Server Error" : "Invalid 'To' Phone Number"));
    }
    const to = form.get("To") ?? "";
    const from = form.get("From") ?? "";
    const body = form.get("Body") ?? "";
    const contentSid = form.get("ContentSid") || null;
    if (!to) return twilioError(response, 400, 21604, "A 'To' phone number is required.");
    if (!from && !form.get("MessagingServiceSid")) return twilioError(response, 400, 21603, "A 'From' phone number is required.");
    if (!body && !contentSid && !form.get("MediaUrl")) return twilioError(response, 400, 21619, "A text message body, media URL or Content SID is required.");
    if (contentSid && !/^HX[0-9a-fA-F]{32}$/.test(contentSid)) return twilioError(response, 400, 21655, "The ContentSid is Invalid.");
    let contentVariables: Record<string, string> | null = null;
    if (contentSid && form.get("ContentVariables")) {
      try {
        const parsed: unknown = JSON.parse(form.get("ContentVariables")!);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || Object.values(parsed).some((value) => typeof value !== "string")) throw new Error("not an object of strings");
        contentVariables = parsed as Record<string, string>;
      } catch {
        return twilioError(response, 400, 21656, "The ContentVariables Parameter is invalid.");
      }
    }
    if (Array.from(body).length > 1600) return twilioError(response, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    if (to.startsWith("whatsapp:") !== from.startsWith("whatsapp:")) return twilioError(response, 400, 63007, "Twilio could not find a Channel with the specified From address");
    const message: SentTwilioMessage = { sid: `SM${randomBytes(16).toString("hex")}`, accountSid, to, from, body: contentSid ? "" : body, contentSid, contentVariables, statusCallback: form.get("StatusCallback"), status: "queued", at: Date.now() };
    sent.push(message);
    json(response, 201, {
      sid: message.sid, account_sid: accountSid, to, from, body: message.body, status: "queued", direction: "outbound-api", api_version: "2010-04-01",
      num_segments: String(Math.ceil(Array.from(body).length / 153) || 1), date_created: new Date(message.at).toUTCString(), error_code: null, error_message: null,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
    });
    reportStatus(message);
  }

  async function handleTextTheStore(request: IncomingMessage, response: ServerResponse, url: URL) {
    if (!textTheStore) return void response.writeHead(404).end("No store is set up for texting");
    if (request.method === "POST") {
      const form = await readForm(request);
      const channel = form.get("channel") === "whatsapp" ? "whatsapp" : "sms";
      const from = (form.get("from") ?? "").trim();
      const answer = await api.sendInbound({
        webhookUrl: textTheStore.webhookUrl, accountSid: textTheStore.accountSid, authToken: textTheStore.authToken, channel, from,
        to: channel === "whatsapp" ? textTheStore.whatsappNumber : textTheStore.smsNumber, body: form.get("body") ?? "",
      });
      const query = new URLSearchParams({ channel, from, ...(answer.ok ? {} : { failed: `${answer.status} ${await answer.text()}` }) });
      return void response.writeHead(303, { Location: `/text-the-store?${query}` }).end();
    }
    const channel = url.searchParams.get("channel") === "whatsapp" ? "whatsapp" : "sms";
    const from = url.searchParams.get("from") ?? "+14155550199";
    const shopper = channel === "whatsapp" ? `whatsapp:${from}` : from;
    const replies = sent.filter((message) => message.to === shopper).slice(-20).reverse();
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(textTheStorePage(textTheStore, channel, from, replies, url.searchParams.get("failed")));
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const match = MESSAGES_PATH.exec(url.pathname);
    const work = async () => {
      if (request.method === "POST" && match) return handleSend(request, response, decodeURIComponent(match[1]!));
      if (url.pathname === "/text-the-store") return handleTextTheStore(request, response, url);
      if (request.method === "GET" && url.pathname === "/") {
        return void response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(sentPage(sent));
      }
      twilioError(response, 404, 20404, `The requested resource ${url.pathname} was not found`);
    };
    work().catch((error: Error) => {
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain" }).end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: FakeTwilio = {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    addAccount: (accountSid, authToken) => void accounts.set(accountSid, authToken),
    messages: (accountSid) => sent.filter((message) => accountSid === undefined || message.accountSid === accountSid),
    failNext: (failure) => void failures.push({ ...failure, remaining: failure.count ?? 1 }),
    sendInbound: (message) => postSignedTwilioWebhook(message.webhookUrl, message.authToken, inboundWebhookParams(message)),
    setTextTheStore: (target) => void (textTheStore = target),
    reset() {
      sent.length = 0;
      failures.length = 0;
    },
  };
  return api;
}

const shownBody = (message: SentTwilioMessage) => (message.contentSid ? `[template ${message.contentSid} ${JSON.stringify(message.contentVariables ?? {})}]` : message.body);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function sentPage(sent: readonly SentTwilioMessage[]): string {
  const rows = [...sent]
    .reverse()
    .map((message) => `<tr><td>${new Date(message.at).toISOString()}</td><td>${escapeHtml(message.from)}</td><td>${escapeHtml(message.to)}</td><td>${escapeHtml(message.status)}</td><td style="white-space:pre-wrap">${escapeHtml(shownBody(message))}</td></tr>`)
    .join("");
  return `<!doctype html><meta charset="utf-8"><title>Fake Twilio</title><style>body{font-family:system-ui;margin:2rem}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}</style>
<h1>Fake Twilio: ${sent.length} message${sent.length === 1 ? "" : "s"} sent</h1><p><a href="/text-the-store">Text the store</a></p>
<table><tr><th>sent</th><th>from</th><th>to</th><th>status</th><th>body</th></tr>${rows}</table>`;
}

function textTheStorePage(target: TextTheStoreTarget, channel: "sms" | "whatsapp", from: string, replies: readonly SentTwilioMessage[], failed: string | null): string {
  const option = (value: string, label: string) => `<option value="${value}"${value === channel ? " selected" : ""}>${label}</option>`;
  const items = replies.map((message) => `<li><small>${new Date(message.at).toLocaleTimeString()}</small><div style="white-space:pre-wrap">${escapeHtml(shownBody(message))}</div></li>`).join("");
  return `<!doctype html><meta charset="utf-8"><title>Text the store</title>
<style>body{font-family:system-ui;margin:2rem;max-width:40rem}label{display:block;margin:.6rem 0}input,select,textarea{font:inherit;width:100%}li{margin:.6rem 0;padding:.5rem;background:#eef;border-radius:.5rem;list-style:none}ul{padding:0}</style>
<h1>Text ${escapeHtml(target.shopName)}</h1>
<p>As a shopper's phone would: the message goes to the store's ${channel === "whatsapp" ? "WhatsApp" : "SMS"} number through this fake Twilio, signed, to the app's webhook. Replies appear below (refresh).</p>
${failed ? `<p style="color:#b00">The app refused it: ${escapeHtml(failed)}</p>` : ""}
<form method="post"><label>Channel <select name="channel">${option("sms", `SMS to ${escapeHtml(target.smsNumber)}`)}${option("whatsapp", `WhatsApp to ${escapeHtml(target.whatsappNumber)}`)}</select></label>
<label>Your number <input name="from" value="${escapeHtml(from)}"></label>
<label>Message <textarea name="body" rows="3">Do you have trail running shoes?</textarea></label><button>Send</button></form>
<h2>Replies to ${escapeHtml(from)}</h2><ul>${items || "<li>None yet</li>"}</ul><p><a href="/text-the-store?channel=${channel}&amp;from=${encodeURIComponent(from)}">Refresh</a> · <a href="/">Everything sent</a></p>`;
}
