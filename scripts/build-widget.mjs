// Builds the storefront widget (widget/src) into the theme app extension's assets, which Shopify's CDN serves.
// The output is committed; the build fails when it outgrows its budget, since every store page downloads it.
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { build, context } from "esbuild";

const OUTFILE = "extensions/customer-agent/assets/widget.js";
const GZIP_BUDGET_BYTES = 8 * 1024;

const options = {
  entryPoints: ["widget/src/widget.ts"],
  outfile: OUTFILE,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  legalComments: "none",
  logLevel: "warning",
};

async function report() {
  const code = await readFile(OUTFILE);
  const gzipped = gzipSync(code, { level: 9 }).length;
  console.log(`${OUTFILE}: ${code.length} bytes, ${gzipped} bytes gzipped (budget ${GZIP_BUDGET_BYTES})`);
  return gzipped <= GZIP_BUDGET_BYTES;
}

if (process.argv.includes("--watch")) {
  const watcher = await context({ ...options, plugins: [{ name: "report", setup: (builder) => builder.onEnd(() => report()) }] });
  await watcher.watch();
} else {
  await build(options);
  if (!(await report())) {
    console.error("widget.js is over its gzip budget: keep the storefront script small (Built for Shopify performance).");
    process.exit(1);
  }
}
