import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import lighthouse from "lighthouse";
import { measureWidget } from "../scripts/build-widget.mjs";
import { buildDemoCatalog } from "../fakes/shopify/catalog";
import { startFakeShopify } from "../fakes/shopify/server";
import { freePort } from "../test/support/ports";

/**
 * What the chat costs a store (Built for Shopify: an app may lower the Lighthouse performance score by at most 10).
 * - loader_gz_bytes, ui_gz_bytes: the built widget.js (on every page) and widget-panel.js (fetched on first
 *   interaction), gzipped at level 9 as a CDN serves them (`npm run build` first).
 * - lighthouse_drop: Lighthouse's performance score (its default mobile run, simulated throttling) of the demo
 *   storefront's home and product page without the app embed minus with it, median of RUNS runs each, on Debian's
 *   Chromium; the larger of the two pages' drops. Only the fake storefront runs: a page that nobody chats on never
 *   calls the app, so the app's absence changes nothing measured.
 * Goals: loader ≤ 6,000, UI ≤ 25,000, drop ≤ 1.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SHOP = "bench-widget.myshopify.com";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const log = (message: string) => console.log(`[bench widget] ${message}`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Debian's Chromium with a DevTools port for Lighthouse (its own browser download cannot run here). */
async function launchChromium(): Promise<{ port: number; process: ChildProcess; profile: string }> {
  const port = await freePort();
  const profile = await mkdtemp(path.join(tmpdir(), "bench-widget-"));
  const chromium = spawn(CHROMIUM, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    chromium.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("DevTools listening on")) resolve();
    });
    chromium.once("exit", (code) => reject(new Error(`chromium exited with ${code}: ${output}`)));
  });
  return { port, process: chromium, profile };
}

const sizes = await measureWidget();
const loader = sizes.find((size) => size.outfile.endsWith("/widget.js"))!;
const ui = sizes.find((size) => size.outfile.endsWith("/widget-panel.js"))!;
log(`widget.js ${loader.bytes} B (${loader.gzipped} B gzipped), widget-panel.js ${ui.bytes} B (${ui.gzipped} B gzipped)`);

const catalog = buildDemoCatalog(SHOP);
const product = catalog.products.find((candidate) => candidate.status === "ACTIVE")!;
const shopify = await startFakeShopify({ apiSecret: "bench-widget-secret", appUrl: "http://127.0.0.1:9", shops: [catalog] });
const chromium = await launchChromium();
const pages = { home: `${shopify.url}/`, product: `${shopify.url}/products/${product.handle}` };
const scores: Record<string, { without: number[]; with: number[] }> = { home: { without: [], with: [] }, product: { without: [], with: [] } };

try {
  // A first, discarded run warms the browser's and the fake's caches of code (not of the pages: Lighthouse clears those).
  for (const url of Object.values(pages)) await lighthouse(url, { port: chromium.port, onlyCategories: ["performance"], output: "json", logLevel: "error" });
  for (let run = 1; run <= RUNS; run += 1) {
    // Alternating keeps a slow moment of the machine from landing on one side only.
    for (const embed of [false, true]) {
      shopify.setAppEmbedEnabled(SHOP, embed);
      for (const [name, url] of Object.entries(pages)) {
        const result = await lighthouse(url, { port: chromium.port, onlyCategories: ["performance"], output: "json", logLevel: "error" });
        const score = Math.round((result?.lhr.categories.performance?.score ?? 0) * 100);
        scores[name]![embed ? "with" : "without"].push(score);
        log(`run ${run}/${RUNS} ${name} ${embed ? "with" : "without"} the embed: ${score}`);
      }
    }
  }
} finally {
  // Chromium writes its profile until it has exited: removing it earlier fails.
  const exited = new Promise((resolve) => chromium.process.once("exit", resolve));
  chromium.process.kill("SIGTERM");
  await exited;
  await shopify.close();
  await rm(chromium.profile, { recursive: true, force: true });
}

const drops = Object.fromEntries(Object.entries(scores).map(([name, { without, with: embedded }]) => [name, median(without) - median(embedded)]));
for (const [name, { without, with: embedded }] of Object.entries(scores)) {
  log(`${name}: median ${median(without)} without, ${median(embedded)} with the embed (drop ${drops[name]})`);
}
console.log(
  JSON.stringify({
    loader_gz_bytes: loader.gzipped,
    ui_gz_bytes: ui.gzipped,
    lighthouse_drop: Math.max(...Object.values(drops)),
    home_score_without: median(scores.home!.without),
    home_score_with: median(scores.home!.with),
    product_score_without: median(scores.product!.without),
    product_score_with: median(scores.product!.with),
    runs: RUNS,
  }),
);
