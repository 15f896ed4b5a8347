import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A local SMTP server that catches what the app sends (the far side of nodemailer): every message is parsed from
 * its raw MIME with mailparser and kept, shown on an HTML page (`GET /`, newest first) and as JSON
 * (`GET /messages.json`), and handed to tests by `messages()`. Plain SMTP on loopback without STARTTLS, as local
 * catchers are; with `users`, AUTH is required and checked, so a test sees the shop's SMTP credentials used.
 */

export interface CaughtEmail {
  /** The SMTP envelope: who the app said it sends from and to. */
  envelope: { from: string; to: string[] };
  /** The AUTH username the app logged in with, if any. */
  authenticatedAs: string | null;
  from: string;
  to: string[];
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Every header, lower-case names, as mailparser read them (structured ones as text). */
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
  receivedAt: string;
  raw: string;
}

export interface FakeSmtp {
  host: string;
  port: number;
  /** The inspection page. */
  url: string;
  messages(): CaughtEmail[];
  /** Forgets what was caught. */
  reset(): void;
  /** The next `count` messages (default 1) are refused at the end of DATA with this SMTP reply, e.g. 550 or 451. */
  failNext(failure: { code: number; message: string; count?: number }): void;
  close(): Promise<void>;
}

export interface FakeSmtpOptions {
  port?: number;
  httpPort?: number;
  /** username → password; when given, clients must log in with one of them. */
  users?: Record<string, string>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((entry) => entry.value.map((address) => address.address ?? "")).filter(Boolean);
}

function headerText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "text" in value) return String((value as { text: unknown }).text);
  if (value && typeof value === "object" && "value" in value) return String((value as { value: unknown }).value);
  if (value instanceof Date) return value.toUTCString();
  return Array.isArray(value) ? value.map(headerText).join(", ") : String(value);
}

const escape = (value: string) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function inspectionPage(messages: CaughtEmail[]): string {
  const items = [...messages]
    .reverse()
    .map(
      (message) => `<article class="mail">
  <h2>${escape(message.subject)}</h2>
  <p class="meta">From ${escape(message.from)} to ${escape(message.to.join(", "))} · ${escape(message.receivedAt)}<br>
  Message-ID ${escape(message.messageId ?? "none")} · In-Reply-To ${escape(message.inReplyTo ?? "none")}</p>
  ${message.html ? `<iframe sandbox="" srcdoc="${escape(message.html)}" title="HTML part"></iframe>` : ""}
  <details><summary>Text part</summary><pre>${escape(message.text ?? "")}</pre></details>
</article>`,
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake SMTP: caught email</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}.mail{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}
.meta{color:#555;font-size:.9rem}iframe{width:100%;height:22rem;border:1px solid #eee}</style></head>
<body><h1>Email the app sent (${messages.length})</h1>${items || "<p>Nothing sent yet.</p>"}</body></html>`;
}

export async function startFakeSmtp(options: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  let caught: CaughtEmail[] = [];
  let failures: Array<{ code: number; message: string }> = [];
  const smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: !options.users,
    allowInsecureAuth: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (options.users && options.users[auth.username ?? ""] === auth.password) return callback(null, { user: auth.username });
      callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const failure = failures.shift();
        if (failure) return callback(Object.assign(new Error(failure.message), { responseCode: failure.code }));
        try {
          const raw = Buffer.concat(chunks);
          const parsed = await simpleParser(raw);
          caught.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
            },
            authenticatedAs: typeof session.user === "string" ? session.user : null,
            from: addresses(parsed.from)[0] ?? "",
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            messageId: parsed.messageId ?? null,
            inReplyTo: parsed.inReplyTo ?? null,
            references: typeof parsed.references === "string" ? [parsed.references] : (parsed.references ?? []),
            headers: Object.fromEntries([...parsed.headers].map(([name, value]) => [name, headerText(value)])),
            text: parsed.text ?? null,
            html: typeof parsed.html === "string" ? parsed.html : null,
            receivedAt: new Date().toISOString(),
            raw: raw.toString("utf8"),
          });
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const http: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    if (request.method === "GET" && path === "/") return void response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(inspectionPage(caught));
    if (request.method === "GET" && path === "/messages.json") return void response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(caught));
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(options.httpPort ?? 0, "127.0.0.1", resolve));
  const httpPort = (http.address() as AddressInfo).port;

  return {
    host: "127.0.0.1",
    port: smtpPort,
    url: `http://127.0.0.1:${httpPort}/`,
    messages: () => [...caught],
    reset: () => {
      caught = [];
      failures = [];
    },
    failNext: ({ code, message, count = 1 }) => {
      failures.push(...Array.from({ length: count }, () => ({ code, message })));
    },
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
