import { randomBytes } from "node:crypto";
import type { ShopChannelSettings } from "@prisma/client";
import { z } from "zod";
import { config } from "../config.server";
import { decryptSecret, encryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { normalizeEmail, normalizePhone } from "../identity/normalize";
import { inboundEmailAddress } from "./email/inbound-address.server";
import { emailWebhookUrl } from "./email/webhook-credentials.server";

/** An empty or absent field means "not set" (cleared), except for the write-only secrets, where it means "keep the stored one". */
const blankAsNull = (value: unknown) => (value === undefined || (typeof value === "string" && value.trim() === "") ? null : value);

const phoneNumber = z.preprocess(
  blankAsNull,
  z
    .string()
    .trim()
    .max(40)
    .transform((value, context) => {
      const phone = normalizePhone(value.replace(/^whatsapp:/i, ""));
      if (!phone || !value.replace(/^whatsapp:/i, "").trim().startsWith("+")) {
        context.addIssue({ code: "custom", message: "Enter the number with its country code, e.g. +14155550100" });
        return z.NEVER;
      }
      return phone;
    })
    .nullable(),
);

const secret = (pattern: RegExp, message: string) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), z.string().trim().regex(pattern, message).optional());

/**
 * The Channels page's form: the loader fills it from the stored row, the action validates what the merchant sent
 * with it, and the tests build their input from it. Secrets (the Twilio auth token, the SMTP password) are
 * write-only: never sent back, and left unchanged when the field is empty.
 */
export const channelSettingsSchema = z.object({
  twilioAccountSid: z.preprocess(blankAsNull, z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, "An account SID is AC followed by 32 hexadecimal characters").nullable()),
  twilioAuthToken: secret(/^[0-9a-fA-F]{32}$/, "An auth token is 32 hexadecimal characters"),
  smsNumber: phoneNumber,
  whatsappNumber: phoneNumber,
  whatsappTemplateSid: z.preprocess(blankAsNull, z.string().trim().regex(/^HX[0-9a-fA-F]{32}$/, "A template's Content SID is HX followed by 32 hexadecimal characters").nullable()),
  whatsappTemplateShopNameVariable: z.preprocess(blankAsNull, z.string().trim().regex(/^[1-9][0-9]?$/, "Enter the variable's number, e.g. 1 for {{1}}").nullable()),
  emailFromAddress: z.preprocess(
    blankAsNull,
    z
      .string()
      .trim()
      .max(320)
      .transform((value, context) => normalizeEmail(value) ?? (context.addIssue({ code: "custom", message: "Enter an email address, e.g. help@yourstore.com" }), z.NEVER))
      .nullable(),
  ),
  smtpHost: z.preprocess(blankAsNull, z.string().trim().max(253).regex(/^[A-Za-z0-9.-]+$/, "Enter a host name, e.g. smtp.yourprovider.com").nullable()),
  smtpPort: z.preprocess(blankAsNull, z.coerce.number("Enter a port number").int("Enter a whole number").min(1, "Ports go from 1 to 65535").max(65535, "Ports go from 1 to 65535").nullable()),
  smtpUser: z.preprocess(blankAsNull, z.string().trim().max(200).nullable()),
  smtpPassword: secret(/^.{1,200}$/, "At most 200 characters"),
});

export type ChannelSettingsInput = z.input<typeof channelSettingsSchema>;
export type ChannelSettingsValues = z.output<typeof channelSettingsSchema>;
export type ChannelSettingsField = keyof ChannelSettingsValues;
export type FieldErrors = Partial<Record<ChannelSettingsField, string>>;

export interface ChannelSettingsView {
  /** What the form shows: the stored values, secrets empty. */
  values: Record<ChannelSettingsField, string>;
  hasTwilioAuthToken: boolean;
  hasSmtpPassword: boolean;
  twilioWebhookUrl: string;
  twilioStatusCallbackUrl: string;
  /** Where merchants forward their support mail; null when the app has no inbound address (EMAIL_INBOUND_ADDRESS). */
  inboundEmailAddress: string | null;
  /** The email provider's inbound webhook URL, this shop's Basic credentials in it; null until the settings are first saved. */
  inboundEmailWebhookUrl: string | null;
}

export function twilioWebhookUrl(shopDomain: string): string {
  return new URL(`/channels/twilio/${shopDomain}/messages`, config().SHOPIFY_APP_URL).toString();
}

export function twilioStatusCallbackUrl(shopDomain: string): string {
  return new URL(`/channels/twilio/${shopDomain}/status`, config().SHOPIFY_APP_URL).toString();
}

export async function readChannelSettings(shopId: string): Promise<ShopChannelSettings | null> {
  return db().shopChannelSettings.findUnique({ where: { shopId } });
}

export async function channelSettingsView(shop: { id: string; domain: string }): Promise<ChannelSettingsView> {
  const stored = await readChannelSettings(shop.id);
  return {
    values: {
      twilioAccountSid: stored?.twilioAccountSid ?? "",
      twilioAuthToken: "",
      smsNumber: stored?.smsNumber ?? "",
      whatsappNumber: stored?.whatsappNumber ?? "",
      whatsappTemplateSid: stored?.whatsappTemplateSid ?? "",
      whatsappTemplateShopNameVariable: stored?.whatsappTemplateShopNameVariable ?? "",
      emailFromAddress: stored?.emailFromAddress ?? "",
      smtpHost: stored?.smtpHost ?? "",
      smtpPort: stored?.smtpPort ? String(stored.smtpPort) : "",
      smtpUser: stored?.smtpUser ?? "",
      smtpPassword: "",
    },
    hasTwilioAuthToken: Boolean(stored?.encryptedTwilioAuthToken),
    hasSmtpPassword: Boolean(stored?.encryptedSmtpPassword),
    twilioWebhookUrl: twilioWebhookUrl(shop.domain),
    twilioStatusCallbackUrl: twilioStatusCallbackUrl(shop.domain),
    inboundEmailAddress: stored ? inboundEmailAddress(stored) : null,
    inboundEmailWebhookUrl: stored ? emailWebhookUrl(shop.domain, stored.emailInboundToken) : null,
  };
}

export type SaveResult = { ok: true } | { ok: false; errors: FieldErrors };

/**
 * Validates and stores the form. A number needs the Twilio account that carries it (SID and auth token, given now
 * or stored before). Nothing is stored when any field is wrong; every wrong field gets its own message.
 */
export async function saveChannelSettings(shopId: string, input: unknown): Promise<SaveResult> {
  const parsed = channelSettingsSchema.safeParse(input);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as ChannelSettingsField;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const values = parsed.data;
  const stored = await readChannelSettings(shopId);
  const hasToken = Boolean(values.twilioAuthToken ?? stored?.encryptedTwilioAuthToken);
  if ((values.smsNumber || values.whatsappNumber) && !values.twilioAccountSid) errors.twilioAccountSid = "Needed to send and receive on the numbers below";
  if ((values.smsNumber || values.whatsappNumber || values.twilioAccountSid) && !hasToken) errors.twilioAuthToken = "Needed with the account SID";
  if (values.whatsappTemplateSid && !values.whatsappNumber) errors.whatsappNumber = "Needed to send the WhatsApp template";
  if (values.whatsappTemplateShopNameVariable && !values.whatsappTemplateSid) errors.whatsappTemplateSid = "Needed with the shop name variable";
  if (values.smtpHost && !values.emailFromAddress) errors.emailFromAddress = "Needed to send email";
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const data = {
    twilioAccountSid: values.twilioAccountSid,
    smsNumber: values.smsNumber,
    whatsappNumber: values.whatsappNumber,
    whatsappTemplateSid: values.whatsappTemplateSid,
    whatsappTemplateShopNameVariable: values.whatsappTemplateShopNameVariable,
    emailFromAddress: values.emailFromAddress,
    smtpHost: values.smtpHost,
    smtpPort: values.smtpPort,
    smtpUser: values.smtpUser,
    ...(values.twilioAuthToken ? { encryptedTwilioAuthToken: encryptSecret(values.twilioAuthToken) } : {}),
    ...(values.smtpPassword ? { encryptedSmtpPassword: encryptSecret(values.smtpPassword) } : {}),
  };
  await db().shopChannelSettings.upsert({
    where: { shopId },
    create: { shopId, emailInboundToken: newInboundToken(), ...data },
    update: data,
  });
  return { ok: true };
}

function newInboundToken(): string {
  return randomBytes(12).toString("hex");
}

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  smsNumber: string | null;
  whatsappNumber: string | null;
}

/** The shop's Twilio account, decrypted, or null when it is not set up. */
export function twilioSettingsOf(stored: ShopChannelSettings | null): TwilioSettings | null {
  if (!stored?.twilioAccountSid || !stored.encryptedTwilioAuthToken) return null;
  return {
    accountSid: stored.twilioAccountSid,
    authToken: decryptSecret(stored.encryptedTwilioAuthToken),
    smsNumber: stored.smsNumber,
    whatsappNumber: stored.whatsappNumber,
  };
}

export async function readTwilioSettings(shopId: string): Promise<TwilioSettings | null> {
  return twilioSettingsOf(await readChannelSettings(shopId));
}
