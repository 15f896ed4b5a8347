// Builds the storefront widget (widget/src) into the theme app extension's assets, which Shopify's CDN serves:
// widget.js, the loader every store page downloads (deferred), and widget-panel.js, the chat panel it fetches on
// first interaction. The output is committed; the build fails when either outgrows its budget (Built for Shopify:
// the chat must not cost the store's pages their Lighthouse score).
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { build, context } from "esbuild";

const ASSETS = "extensions/customer-agent/assets";
export const WIDGET_BUNDLES = [
  { entry: "widget/src/widget.ts", outfile: `${ASSETS}/widget.js`, gzipBudgetBytes: 6000 },
  { entry: "widget/src/panel.ts", outfile: `${ASSETS}/widget-panel.js`, gzipBudgetBytes: 25000 },
];

const optionsFor = (bundle) => ({
  entryPoints: [bundle.entry],
  outfile: bundle.outfile,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  legalComments: "none",
  logLevel: "warning",
});

/** Bytes of each bundle, raw and gzipped at level 9 (what a CDN serves), with whether it is within budget. */
export async function measureWidget() {
  return Promise.all(
    WIDGET_BUNDLES.map(async (bundle) => {
      const code = await readFile(bundle.outfile);
      const gzipped = gzipSync(code, { level: 9 }).length;
      return { ...bundle, bytes: code.length, gzipped, withinBudget: gzipped <= bundle.gzipBudgetBytes };
    }),
  );
}

async function report() {
  const sizes = await measureWidget();
  for (const size of sizes) console.log(`${size.outfile}: ${size.bytes} bytes, ${size.gzipped} bytes gzipped (budget ${size.gzipBudgetBytes})`);
  return sizes.every((size) => size.withinBudget);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--watch")) {
    const plugin = { name: "report", setup: (builder) => builder.onEnd(() => report()) };
    for (const bundle of WIDGET_BUNDLES) await (await context({ ...optionsFor(bundle), plugins: [plugin] })).watch();
  } else {
    await Promise.all(WIDGET_BUNDLES.map((bundle) => build(optionsFor(bundle))));
    if (!(await report())) {
      console.error("The widget is over its gzip budget: keep the storefront scripts small (Built for Shopify performance).");
      process.exit(1);
    }
  }
}
