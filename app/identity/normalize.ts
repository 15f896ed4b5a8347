import { type CountryCode, findPhoneNumbersInText, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";

/**
 * The app's one normaliser for email addresses and phone numbers: order webhooks, order lookups, the widget's
 * identify(), numbers typed in chat and the Klaviyo event builder all compare and send what these return, so an
 * identifier written one way in an order and another way in chat is still one identifier.
 */

export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed && z.email().safeParse(trimmed).success ? trimmed : null;
}

/** The shop's country as libphonenumber takes it, or undefined when unknown or not a country it knows. */
export function phoneCountry(country: string | null | undefined): CountryCode | undefined {
  const code = country?.trim().toUpperCase();
  return code && isSupportedCountry(code) ? code : undefined;
}

/**
 * E.164 ("+12125550147") or null. A number written without its country code ("(212) 555-0147") is read in the
 * shop's country when given, never guessed otherwise; "00" is taken as the international prefix. A number must
 * have a length its country's numbers can have (libphonenumber's "possible"): Klaviyo rejects a whole event for a
 * malformed phone_number. Not the stricter "valid", which refuses numbers in ranges its metadata does not list yet
 * (and the ranges reserved for fiction that test data uses); text typed in chat is held to "valid" instead.
 */
export function normalizePhone(phone: string | null | undefined, defaultCountry?: string | null): string | null {
  const trimmed = phone?.trim();
  if (!trimmed || trimmed.length > 40) return null;
  const international = trimmed.replace(/^00(?=[1-9])/, "+");
  const parsed = parsePhoneNumberFromString(international, phoneCountry(defaultCountry));
  return parsed?.isPossible() ? parsed.number : null;
}

export interface ContactDetails {
  email: string | null;
  phone: string | null;
}

// Local part and domain as people type them; normalizeEmail decides whether it is an address.
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/**
 * The first email address and the first valid phone number a shopper typed in a message ("reach me at
 * ada@example.org", "(212) 555-0147"). Phone numbers are only taken when libphonenumber finds a valid number for
 * the shop's country (or one written with its country code), so order numbers, prices and dates are not numbers.
 */
export function detectContactDetails(text: string, defaultCountry?: string | null): ContactDetails {
  const email = [...text.matchAll(EMAIL_IN_TEXT)].map((match) => normalizeEmail(match[0].replace(/\.+$/, ""))).find(Boolean) ?? null;
  const withoutEmails = text.replace(EMAIL_IN_TEXT, " ").replace(/(^|[\s(])00(?=[1-9])/g, "$1+");
  const phone =
    findPhoneNumbersInText(withoutEmails, phoneCountry(defaultCountry) ? { defaultCountry: phoneCountry(defaultCountry)! } : undefined)
      .map((found) => (found.number.isValid() ? found.number.number : null))
      .find(Boolean) ?? null;
  return { email, phone };
}
