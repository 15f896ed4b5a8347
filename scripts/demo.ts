import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { startFakeKlaviyo } from "../fakes/klaviyo/server";
import { buildDemoCatalog } from "../fakes/shopify/catalog";
import { startFakeShopify } from "../fakes/shopify/server";
import { startFakeTwilio } from "../fakes/twilio/server";
import { startAppServer, stopOnSignals } from "../server";
import { DEMO_KLAVIYO_API_KEY, DEMO_SHOP, DEMO_SHOP_ACCESS_TOKEN, DEMO_TWILIO } from "../app/demo/demo-mode.server";

/**
 * The local demo: the built app on the embedded database, a seeded demo shop, and local fakes of Shopify
 * (Admin API, storefront with the app embed, app proxy) and Klaviyo. No credentials needed.
 */
const dataDirectory = path.resolve(process.env.DEMO_DATA_DIR ?? ".data");
const appPort = Number(process.env.PORT ?? 3000);
const storefrontPort = Number(process.env.DEMO_STOREFRONT_PORT ?? 4000);
const klaviyoPort = Number(process.env.DEMO_KLAVIYO_PORT ?? 4010);
const twilioPort = Number(process.env.DEMO_TWILIO_PORT ?? 4020);
const appUrl = `http://localhost:${appPort}`;

/** Kept across runs so the encrypted Klaviyo key and stored sessions stay readable. */
async function demoSecrets(): Promise<{ apiSecret: string; encryptionKey: string }> {
  const file = path.join(dataDirectory, "demo-secrets.json");
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8"));
  const secrets = { apiSecret: randomBytes(24).toString("hex"), encryptionKey: randomBytes(32).toString("base64") };
  await mkdir(dataDirectory, { recursive: true });
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

const secrets = await demoSecrets();
const klaviyo = process.env.KLAVIYO_API_URL ? null : await startFakeKlaviyo({ port: klaviyoPort });
klaviyo?.addAccount({ apiKey: DEMO_KLAVIYO_API_KEY, accountId: "DEMO01", name: "Demo Outfitters" });

// SMS and WhatsApp: the fake Twilio carries the demo shop's texts both ways (unless TWILIO_API_URL names another).
const twilio = process.env.TWILIO_API_URL ? null : await startFakeTwilio({ port: twilioPort });
twilio?.addAccount(DEMO_TWILIO.accountSid, DEMO_TWILIO.authToken);

const catalog = buildDemoCatalog(DEMO_SHOP);
const shopify = await startFakeShopify({
  port: storefrontPort,
  apiSecret: secrets.apiSecret,
  appUrl,
  shops: [catalog],
  accessTokens: { [DEMO_SHOP]: DEMO_SHOP_ACCESS_TOKEN },
  ...(klaviyo ? { klaviyoOnsiteScript: `${klaviyo.url}/onsite/js/klaviyo.js?company_id=DEMO01` } : {}),
});

process.env.NODE_ENV ??= "production";
process.env.SHOPIFY_API_KEY ??= "demo-customer-agent";
process.env.SHOPIFY_API_SECRET ??= secrets.apiSecret;
process.env.SHOPIFY_APP_URL ??= appUrl;
process.env.ENCRYPTION_KEY ??= secrets.encryptionKey;
process.env.EMBEDDED_POSTGRES_DIR ??= path.join(dataDirectory, "postgres");
process.env.SHOPIFY_ADMIN_API_ORIGIN = shopify.url;
process.env.DEMO_MODE = "true";
if (klaviyo) process.env.KLAVIYO_API_URL = klaviyo.url;
if (twilio) process.env.TWILIO_API_URL = twilio.url;

const app = await startAppServer({ port: appPort });
// Imported only now: the app modules read the environment completed above.
const { seedDemoShop } = await import("./demo-seed");
const seeded = await seedDemoShop(catalog, { connectKlaviyo: Boolean(klaviyo), connectTwilio: Boolean(twilio) });
twilio?.setTextTheStore({
  webhookUrl: `${process.env.SHOPIFY_APP_URL}/channels/twilio/${DEMO_SHOP}/messages`,
  ...DEMO_TWILIO,
  shopName: catalog.shop.name,
});
stopOnSignals({
  async stop() {
    await app.stop();
    await shopify.close();
    await klaviyo?.close();
    await twilio?.close();
  },
});

console.log(`
Customer Agent demo is running (${seeded.products} products, ${seeded.orders} orders).
  Storefront  http://localhost:${storefrontPort}/            the demo store with the chat widget
  Admin       ${appUrl}/demo/admin  the embedded admin, as Shopify's admin opens it
  Klaviyo     ${klaviyo ? `${klaviyo.url}/` : process.env.KLAVIYO_API_URL}            ${klaviyo ? "the fake Klaviyo: what it accepted" : "your Klaviyo"}${twilio ? `
  Texts       ${twilio.url}/text-the-store  text the store by SMS or WhatsApp through the fake Twilio (replies show there)` : ""}
Press Ctrl+C to stop.`);
