import { describe, expect, it } from "vitest";
import { automatedEmailReason } from "./auto-reply";

const OWN = ["help@store.example", "inbound+shop@inbound.example"];
const person = (headers: Array<{ Name: string; Value: string }> = [], from = "ada@example.org") => automatedEmailReason({ from, headers, ownAddresses: OWN });

describe("automated email detection (no conversation, no reply)", () => {
  it("lets a person's email through, including one marked Auto-Submitted: no", () => {
    expect(person()).toBeNull();
    expect(person([{ Name: "Auto-Submitted", Value: "no" }])).toBeNull();
    expect(person([{ Name: "Precedence", Value: "first-class" }])).toBeNull();
  });

  it("ignores out-of-office and generated mail by Auto-Submitted, in any case and with parameters", () => {
    expect(person([{ Name: "Auto-Submitted", Value: "auto-replied" }])).toBe("auto-submitted");
    expect(person([{ Name: "auto-submitted", Value: "Auto-Generated; type=vacation" }])).toBe("auto-submitted");
  });

  it("ignores bulk, junk, list and auto_reply precedence", () => {
    for (const value of ["bulk", "junk", "list", "auto_reply", "BULK"]) expect(person([{ Name: "Precedence", Value: value }])).toBe("precedence");
  });

  it("ignores X-Autoreply and X-Autorespond", () => {
    expect(person([{ Name: "X-Autoreply", Value: "yes" }])).toBe("autoreply-header");
    expect(person([{ Name: "X-Autorespond", Value: "" }])).toBe("autoreply-header");
  });

  it("ignores bounces from mailer-daemon and postmaster", () => {
    expect(person([], "MAILER-DAEMON@mx.example.org")).toBe("mailer-daemon");
    expect(person([], "postmaster@example.org")).toBe("mailer-daemon");
    expect(person([], "bounces+123@lists.example.org")).toBe("mailer-daemon");
  });

  it("ignores the store's own replies coming back (a loop)", () => {
    expect(person([], "Help@Store.example")).toBe("own-address");
  });
});
