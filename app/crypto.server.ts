import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { config } from "./config.server";

const VERSION = "v1";

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

function key(): Buffer {
  return Buffer.from(config().ENCRYPTION_KEY, "base64");
}

/** AES-256-GCM with a random nonce; the output carries its version so the key can be rotated later. */
export function encryptSecret(plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, nonce.toString("base64"), ciphertext.toString("base64"), cipher.getAuthTag().toString("base64")].join(":");
}

export function decryptSecret(sealed: string): string {
  const [version, nonce, ciphertext, tag] = sealed.split(":");
  if (version !== VERSION || !nonce || !ciphertext || !tag) {
    throw new DecryptionError("stored secret is not in the expected format");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(nonce, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError("stored secret could not be decrypted: was ENCRYPTION_KEY changed?");
  }
}
