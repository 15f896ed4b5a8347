import { describe, expect, it } from "vitest";
import { decryptSecret, DecryptionError, encryptSecret } from "./crypto.server";

describe("secrets at rest", () => {
  it("round-trips, and never stores the same ciphertext twice", () => {
    const sealed = encryptSecret("pk_live_secret_value");
    expect(sealed).not.toContain("pk_live_secret_value");
    expect(sealed).toMatch(/^v1:/);
    expect(encryptSecret("pk_live_secret_value")).not.toBe(sealed);
    expect(decryptSecret(sealed)).toBe("pk_live_secret_value");
  });

  it("refuses a tampered ciphertext instead of returning garbage", () => {
    const [version, nonce, ciphertext, tag] = encryptSecret("pk_live_secret_value").split(":");
    const flipped = Buffer.from(ciphertext!, "base64");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret([version, nonce, flipped.toString("base64"), tag].join(":"))).toThrow(DecryptionError);
    expect(() => decryptSecret("not-a-secret")).toThrow(/not in the expected format/);
  });
});
