import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSmtp, type FakeSmtp } from "./server";

let smtp: FakeSmtp;
beforeAll(async () => {
  smtp = await startFakeSmtp({ users: { "store-user": "store-pass" } });
});
afterAll(() => smtp?.close());

describe("the fake SMTP server", () => {
  it("catches a threaded multipart email sent with nodemailer and shows it on its page", async () => {
    const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, auth: { user: "store-user", pass: "store-pass" } });
    await transport.sendMail({
      from: "Store <help@store.example>",
      to: "ada@example.org",
      subject: "Re: Tents",
      messageId: "<ours@store.example>",
      inReplyTo: "<theirs@example.org>",
      references: ["<theirs@example.org>"],
      text: "Plain",
      html: "<p>Rich <b>&amp;</b></p>",
    });
    const [mail] = smtp.messages();
    expect(mail).toMatchObject({
      authenticatedAs: "store-user",
      from: "help@store.example",
      to: ["ada@example.org"],
      subject: "Re: Tents",
      messageId: "<ours@store.example>",
      inReplyTo: "<theirs@example.org>",
      references: ["<theirs@example.org>"],
      text: "Plain",
      html: "<p>Rich <b>&amp;</b></p>",
    });
    const page = await (await fetch(smtp.url)).text();
    expect(page).toContain("Re: Tents");
    const json = await (await fetch(new URL("/messages.json", smtp.url))).json();
    expect(json).toHaveLength(1);
  });

  it("refuses a login with the wrong password", async () => {
    const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, auth: { user: "store-user", pass: "wrong" } });
    await expect(transport.sendMail({ from: "help@store.example", to: "ada@example.org", subject: "x", text: "x" })).rejects.toThrow(/Invalid username or password/);
  });
});
