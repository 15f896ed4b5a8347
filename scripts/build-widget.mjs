// Builds the storefront widget from widget/src into the theme app extension's assets (served by Shopify's CDN).
import { build, context } from "esbuild";

const options = {
  entryPoints: ["widget/src/widget.ts"],
  outfile: "extensions/customer-agent/assets/widget.js",
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  legalComments: "none",
  logLevel: "info",
};

if (process.argv.includes("--watch")) {
  await (await context(options)).watch();
} else {
  await build(options);
}
