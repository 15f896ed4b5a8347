import path from "node:path";
import { themeCheckRun } from "@shopify/theme-check-node";

/** Lints the theme app extension with Shopify's own Theme Check (offline), as `shopify app deploy` would. */
const root = path.resolve(import.meta.dirname, "../extensions/customer-agent");
const { offenses } = await themeCheckRun(root, path.join(root, ".theme-check.yml"));
for (const offense of offenses) {
  console.log(`${offense.severity === 0 ? "error" : "warning"} ${offense.uri.replace(`file://${root}/`, "")}:${offense.start.line + 1} ${offense.check}: ${offense.message}`);
}
const errors = offenses.filter((offense) => offense.severity === 0);
console.log(`theme check: ${errors.length} errors, ${offenses.length - errors.length} warnings`);
process.exit(errors.length ? 1 : 0);
