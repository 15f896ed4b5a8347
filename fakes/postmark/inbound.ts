import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeSmtp } from "../smtp/server";

/**
 * Postmark's side of the inbound webhook: it parses an email sent to the inbound address and POSTs this JSON to
 * the URL the merchant configured, authenticating with the HTTP Basic credentials written in that URL
 * (`https://user:password@host/path`), as Postmark does. Retries and attachments are not modelled.
 */

export interface InboundEmailInput {
  from: string;
  fromName?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The email's own Message-ID header; a fresh one when absent. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Extra headers (Auto-Submitted, Precedence, …). */
  headers?: Array<{ Name: string; Value: string }>;
}

export interface PostmarkInboundPayload {
  FromName: string;
  MessageStream: "inbound";
  From: string;
  FromFull: { Email: string; Name: string; MailboxHash: string };
  To: string;
  ToFull: Array<{ Email: string; Name: string; MailboxHash: string }>;
  Cc: string;
  CcFull: never[];
  Bcc: string;
  BccFull: never[];
  OriginalRecipient: string;
  Subject: string;
  MessageID: string;
  ReplyTo: string;
  MailboxHash: string;
  Date: string;
  TextBody: string;
  HtmlBody: string;
  StrippedTextReply: string;
  Tag: string;
  Headers: Array<{ Name: string; Value: string }>;
  Attachments: never[];
}

const mailboxHash = (address: string) => address.split("@")[0]!.split("+")[1] ?? "";

export function postmarkInboundPayload(email: InboundEmailInput): PostmarkInboundPayload {
  const messageId = email.messageId ?? `<${randomUUID()}@mail.shopper.example>`;
  const headers = [
    { Name: "Return-Path", Value: `<${email.from}>` },
    { Name: "Message-ID", Value: messageId },
    ...(email.inReplyTo ? [{ Name: "In-Reply-To", Value: email.inReplyTo }] : []),
    ...(email.references?.length ? [{ Name: "References", Value: email.references.join(" ") }] : []),
    { Name: "X-Spam-Status", Value: "No" },
    ...(email.headers ?? []),
  ];
  return {
    FromName: email.fromName ?? "",
    MessageStream: "inbound",
    From: email.from,
    FromFull: { Email: email.from, Name: email.fromName ?? "", MailboxHash: "" },
    To: email.to,
    ToFull: [{ Email: email.to, Name: "", MailboxHash: mailboxHash(email.to) }],
    Cc: "",
    CcFull: [],
    Bcc: "",
    BccFull: [],
    OriginalRecipient: email.to,
    Subject: email.subject,
    MessageID: randomUUID(),
    ReplyTo: "",
    MailboxHash: mailboxHash(email.to),
    Date: new Date().toUTCString(),
    TextBody: email.text,
    HtmlBody: email.html ?? "",
    StrippedTextReply: "",
    Tag: "",
    Headers: headers,
    Attachments: [],
  };
}

/** POSTs the payload to a webhook URL as configured in Postmark: credentials in the URL become the Basic auth header. */
export async function deliverInboundWebhook(webhookUrl: string, payload: PostmarkInboundPayload): Promise<Response> {
  const url = new URL(webhookUrl);
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "Postmark" };
  if (url.username || url.password) {
    headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  return fetch(url, { method: "POST", headers, body: JSON.stringify(payload) });
}

export interface FakeMailbox {
  url: string;
  close(): Promise<void>;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The demo's "email the store" page: a shopper's mail client in one page. Writing sends a Postmark-shaped
 * inbound webhook to the store's inbound URL; the store's replies (caught by the fake SMTP server) are listed
 * with a Reply form that threads (In-Reply-To and References), as a mail client would.
 */
export async function startFakeMailbox(options: { webhookUrl: () => Promise<string | null>; storeAddress: string; smtp: FakeSmtp; port?: number }): Promise<FakeMailbox> {
  const page = (notice = "") => {
    const replies = [...options.smtp.messages()].reverse();
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Email the store (demo)</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}form{display:grid;gap:.5rem;margin:1rem 0}
input,textarea{font:inherit;padding:.4rem}iframe{width:100%;height:20rem;border:1px solid #eee}.mail{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}pre{white-space:pre-wrap}.notice{background:#eef6ee;padding:.5rem}</style></head>
<body><h1>Email the store</h1>
<p>A shopper's mailbox. Sending goes through a fake Postmark to the store's inbound webhook; the store's answers arrive below.</p>
${notice ? `<p class="notice" role="status">${escape(notice)}</p>` : ""}
<form method="post" action="/send">
  <label>From <input name="from" type="email" required value="shopper@example.com"></label>
  <label>To <input name="to" value="${escape(options.storeAddress)}" readonly></label>
  <label>Subject <input name="subject" required value="Tents"></label>
  <label>Message <textarea name="text" rows="5" required>Do you have tents for two?</textarea></label>
  <button type="submit">Send</button>
</form>
<h2>Inbox (${replies.length})</h2>
${replies
  .map(
    (mail) => `<article class="mail"><h3>${escape(mail.subject)}</h3><p>From ${escape(mail.from)} to ${escape(mail.to.join(", "))}</p>
${mail.html ? `<iframe sandbox="" srcdoc="${escape(mail.html)}" title="${escape(mail.subject)} (HTML)"></iframe>` : ""}
<details${mail.html ? "" : " open"}><summary>Text part</summary><pre>${escape(mail.text ?? "")}</pre></details>
<form method="post" action="/send">
  <input type="hidden" name="from" value="${escape(mail.to[0] ?? "")}"><input type="hidden" name="to" value="${escape(options.storeAddress)}">
  <input type="hidden" name="subject" value="${escape(mail.subject)}"><input type="hidden" name="inReplyTo" value="${escape(mail.messageId ?? "")}">
  <input type="hidden" name="references" value="${escape([...mail.references, mail.messageId ?? ""].join(" "))}">
  <label>Reply <textarea name="text" rows="3" required></textarea></label><button type="submit">Reply</button>
</form></article>`,
  )
  .join("\n")}
</body></html>`;
  };

  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    const url = new URL(request.url ?? "/", "http://fake");
    if (request.method === "GET" && path === "/") return void response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page(url.searchParams.get("notice") ?? ""));
    // Post/redirect/get: reloading the page after sending shows new replies instead of sending the email again.
    const noticed = (notice: string) => void response.writeHead(303, { Location: `/?notice=${encodeURIComponent(notice)}` }).end();
    if (request.method === "POST" && path === "/send") {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const webhookUrl = await options.webhookUrl();
      if (!webhookUrl) return noticed("The store has no inbound email address set up yet.");
      const references = (form.get("references") ?? "").split(/\s+/).filter(Boolean);
      const delivered = await deliverInboundWebhook(
        webhookUrl,
        postmarkInboundPayload({
          from: form.get("from") ?? "",
          to: form.get("to") ?? options.storeAddress,
          subject: form.get("inReplyTo") ? `Re: ${(form.get("subject") ?? "").replace(/^Re:\s*/i, "")}` : (form.get("subject") ?? ""),
          text: form.get("text") ?? "",
          ...(form.get("inReplyTo") ? { inReplyTo: form.get("inReplyTo")!, references } : {}),
        }),
      );
      return noticed(`Sent: the store's webhook answered ${delivered.status}. Its reply appears here in a moment (reload).`);
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
