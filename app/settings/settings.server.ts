import { z } from "zod";
import { db } from "../db.server";
import { WIDGET_PAGE_TYPES } from "./sections";

/**
 * The merchant's settings kept in `Shop.settings` (JSON): each key validated by zod, with its default. Reading
 * never fails: a value written by an older version that no longer validates falls back to its default, so a bad
 * row cannot take a shop's background work down. Writing validates strictly and merges, keeping keys other
 * modules own.
 */
export const shopSettingsSchema = z.object({
  /** Hours after a product recommendation before "Recommendation Not Purchased" fires if the shopper has not ordered. */
  recommendationWindowHours: z.number().int().min(1).max(720),
  /** Days after a conversation during which the shopper's orders are attributed to it. */
  attributionWindowDays: z.number().int().min(1).max(90),
  /** How the chat looks on the storefront; published to the theme through an app-owned metafield (app/settings/widget-look). */
  widget: z.object({
    accentColor: z.string().regex(/^#[0-9a-f]{6}$/i),
    position: z.enum(["right", "left"]),
    launcherLabel: z.string().max(40),
    hiddenPageTypes: z.array(z.enum(WIDGET_PAGE_TYPES)),
  }),
});

export type ShopSettings = z.infer<typeof shopSettingsSchema>;

export const DEFAULT_SHOP_SETTINGS: ShopSettings = {
  recommendationWindowHours: 24,
  attributionWindowDays: 7,
  widget: { accentColor: "#1f6f5c", position: "right", launcherLabel: "", hiddenPageTypes: [] },
};

export function readShopSettings(stored: unknown): ShopSettings {
  const record = stored && typeof stored === "object" && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const settings = { ...DEFAULT_SHOP_SETTINGS };
  for (const key of Object.keys(DEFAULT_SHOP_SETTINGS) as Array<keyof ShopSettings>) {
    const parsed = shopSettingsSchema.shape[key].safeParse(record[key]);
    if (parsed.success) (settings as Record<string, unknown>)[key] = parsed.data;
  }
  return settings;
}

export async function shopSettings(shopId: string): Promise<ShopSettings> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  return readShopSettings(shop.settings);
}

/** Validates the changed keys (a ZodError names each bad one) and merges them atomically into the stored JSON. */
export async function updateShopSettings(shopId: string, changes: Partial<ShopSettings>): Promise<ShopSettings> {
  const valid = shopSettingsSchema.partial().strict().parse(changes);
  const [row] = await db().$queryRaw<Array<{ settings: unknown }>>`
    UPDATE "Shop" SET settings = settings || ${JSON.stringify(valid)}::jsonb, "updatedAt" = now()
    WHERE id = ${shopId} RETURNING settings`;
  if (!row) throw new RangeError(`Shop ${shopId} not found`);
  return readShopSettings(row.settings);
}
