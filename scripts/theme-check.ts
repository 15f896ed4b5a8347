import path from "node:path";
import { fileURLToPath } from "node:url";
import { themeCheckRun } from "@shopify/theme-check-node";

/**
 * Lints the theme app extension with Shopify's Theme Check (offline), using the theme-app-extension rules that
 * `shopify app deploy` applies. Exits non-zero when there is an error; warnings are printed but pass.
 */
const root = path.resolve(import.meta.dirname, "../extensions/customer-agent");
const SEVERITY = ["error", "warning", "info"] as const;

const { offenses } = await themeCheckRun(root, path.join(root, ".theme-check.yml"));
for (const offense of offenses) {
  const file = path.relative(root, fileURLToPath(offense.uri));
  console.log(`${SEVERITY[offense.severity] ?? "info"} ${file}:${offense.start.line + 1}:${offense.start.character + 1} ${offense.check}: ${offense.message}`);
}
const errors = offenses.filter((offense) => offense.severity === 0).length;
console.log(`theme check (${path.relative(process.cwd(), root)}): ${errors} errors, ${offenses.length - errors} warnings or notes`);
process.exit(errors ? 1 : 0);
