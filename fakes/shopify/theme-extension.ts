import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Reads the app's real theme app extension (extensions/customer-agent) the way Shopify does when the merchant
 * switches an app embed on: each `blocks/*.liquid` whose schema targets `body` (or `head`) is an app embed, and its
 * settings start at the schema's defaults. Read on every use, so edits show up without restarting the fake.
 */
export const EXTENSION_DIRECTORY = path.resolve(import.meta.dirname, "../../extensions/customer-agent");

export interface AppEmbedSchema {
  name: string;
  target: string;
  settings?: Array<{ id?: string; type: string; default?: unknown }>;
}

export interface AppEmbedBlock {
  /** The block's file name without `.liquid`: what Shopify puts in `activateAppId` and settings_data.json. */
  handle: string;
  target: "body" | "head";
  source: string;
  defaultSettings: Record<string, unknown>;
}

const SCHEMA_TAG = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

export async function loadAppEmbedBlocks(): Promise<AppEmbedBlock[]> {
  const directory = path.join(EXTENSION_DIRECTORY, "blocks");
  const files = (await readdir(directory)).filter((file) => file.endsWith(".liquid")).sort();
  const blocks = await Promise.all(
    files.map(async (file): Promise<AppEmbedBlock | null> => {
      const source = await readFile(path.join(directory, file), "utf8");
      const schemaText = SCHEMA_TAG.exec(source)?.[1];
      if (!schemaText) throw new Error(`${file} has no {% schema %}: Shopify rejects a block without one`);
      const schema = JSON.parse(schemaText) as AppEmbedSchema;
      if (schema.target !== "body" && schema.target !== "head") return null;
      return {
        handle: path.basename(file, ".liquid"),
        target: schema.target,
        source,
        defaultSettings: Object.fromEntries((schema.settings ?? []).filter((setting) => setting.id).map((setting) => [setting.id!, setting.default ?? null])),
      };
    }),
  );
  return blocks.filter((block): block is AppEmbedBlock => block !== null);
}

/** Storefront strings from `locales/{locale}.json`, falling back to `locales/en.default.json` like Shopify. */
export async function loadStorefrontTranslations(locale: string): Promise<{ primary: Record<string, unknown>; fallback: Record<string, unknown> }> {
  const read = async (file: string) => {
    try {
      return JSON.parse(await readFile(path.join(EXTENSION_DIRECTORY, "locales", file), "utf8")) as Record<string, unknown>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
  };
  const fallback = await read("en.default.json");
  return { primary: locale === "en" ? fallback : await read(`${locale}.json`), fallback };
}
