import { describe, expect, it } from "vitest";
import { basicCredentials, credentialsMatch } from "./basic-auth";
import { readPostmarkInbound } from "./postmark";
import { newMessageId, replySubject, replyThreadHeaders, stableMessageId } from "./threading";

describe("Postmark's inbound JSON", () => {
  it("reads the sender, recipients and the thread headers of the original email", () => {
    const email = readPostmarkInbound({
      MessageID: "pm-1",
      From: "ada@example.org",
      FromFull: { Email: "Ada@Example.org", Name: "Ada" },
      To: "Store <inbound+abc@inbound.example>",
      ToFull: [{ Email: "inbound+abc@inbound.example", Name: "Store" }],
      Subject: "Re: Tents",
      TextBody: "Yes please",
      Headers: [
        { Name: "Message-ID", Value: "<m2@example.org>" },
        { Name: "In-Reply-To", Value: "<ours@store.example>" },
        { Name: "References", Value: "<m1@example.org>\r\n <ours@store.example>" },
      ],
    });
    expect(email).toMatchObject({
      from: "ada@example.org",
      fromName: "Ada",
      to: ["inbound+abc@inbound.example"],
      subject: "Re: Tents",
      messageId: "<m2@example.org>",
      inReplyTo: "<ours@store.example>",
      references: ["<m1@example.org>", "<ours@store.example>"],
    });
  });

  it("reads a Message-ID some mailers write without its angle brackets", () => {
    const email = readPostmarkInbound({ MessageID: "pm-3", From: "ada@example.org", Headers: [{ Name: "message-id", Value: " bare-id@example.org " }, { Name: "In-Reply-To", Value: "<ours@store.example> (comment)" }] });
    expect(email.messageId).toBe("<bare-id@example.org>");
    expect(email.inReplyTo).toBe("<ours@store.example>");
  });

  it("gives an email without a Message-ID one made of Postmark's id, so a retried webhook is recognised", () => {
    expect(readPostmarkInbound({ MessageID: "pm-2", From: "ada@example.org" }).messageId).toBe("<pm-2@inbound.postmarkapp.com>");
  });
});

describe("threading our replies", () => {
  it("answers In-Reply-To the shopper's Message-ID with References ending in it and a Message-ID of ours", () => {
    const ours = stableMessageId("queued-1", "help@store.example");
    expect(ours).toBe("<ca.queued-1@store.example>");
    const headers = replyThreadHeaders({ messageId: "<m2@example.org>", references: ["<m1@example.org>"], subject: "RE: Re: Tents" }, ours, "Your question");
    expect(headers).toEqual({ messageId: ours, inReplyTo: "<m2@example.org>", references: ["<m1@example.org>", "<m2@example.org>"], subject: "Re: Tents" });
    expect(newMessageId("help@store.example")).toMatch(/^<ca\.[0-9a-f-]+@store\.example>$/);
  });

  it("keeps a long thread's References to its root and newest ids", () => {
    const chain = Array.from({ length: 30 }, (_, index) => `<m${index}@example.org>`);
    const headers = replyThreadHeaders({ messageId: "<last@example.org>", references: chain, subject: "Tents" }, "<ours@store.example>", "x");
    expect(headers.references).toHaveLength(20);
    expect(headers.references[0]).toBe("<m0@example.org>");
    expect(headers.references.at(-1)).toBe("<last@example.org>");
  });

  it("says Re: once and has a subject even when the shopper gave none", () => {
    expect(replySubject("Tents for two?", "x")).toBe("Re: Tents for two?");
    expect(replySubject("", "Your message to Summit")).toBe("Re: Your message to Summit");
  });
});

describe("the webhook's HTTP Basic credentials", () => {
  const expected = { username: "shop-1", password: "s3cret:with:colons" };
  const header = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

  it("accepts the shop's credentials and refuses anything else", () => {
    expect(credentialsMatch(basicCredentials(header("shop-1", "s3cret:with:colons")), expected)).toBe(true);
    expect(credentialsMatch(basicCredentials(header("shop-1", "s3cret")), expected)).toBe(false);
    expect(credentialsMatch(basicCredentials(header("shop-2", "s3cret:with:colons")), expected)).toBe(false);
    expect(credentialsMatch(basicCredentials(null), expected)).toBe(false);
    expect(credentialsMatch(basicCredentials("Bearer abc"), expected)).toBe(false);
  });
});
