import { createHash, timingSafeEqual } from "node:crypto";

export interface BasicCredentials {
  username: string;
  password: string;
}

/** The credentials of an `Authorization: Basic …` header, or null when there is none or it is malformed. */
export function basicCredentials(authorization: string | null): BasicCredentials | null {
  const match = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// Digests have one length whatever was sent, so the comparison's time says nothing about the secret's length or prefix.
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(createHash("sha256").update(given).digest(), createHash("sha256").update(expected).digest());
}

/** Both parts compared in constant time, and both always compared, so timing does not tell which one was wrong. */
export function credentialsMatch(given: BasicCredentials | null, expected: BasicCredentials): boolean {
  if (!given) return false;
  const username = sameSecret(given.username, expected.username);
  const password = sameSecret(given.password, expected.password);
  return username && password;
}
