// Opens each report HTML given on the command line in headless Chromium (Debian's
// /usr/bin/chromium), runs axe-core for WCAG 2.2 A and AA, takes screenshots at a
// desktop width and at A4 landscape width, and prints it to PDF as Chromium does.
// Prints one line per file and exits 1 on any violation.
//   node tools/check-report.mjs OUT_DIR report.html [...]
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [outDir, ...files] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let failed = 0;
for (const file of files) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto("file://" + file);
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }));
  const name = basename(file, ".html");
  await page.screenshot({ path: join(outDir, `${name}-desktop.png`) });
  await page.setViewportSize({ width: 1123, height: 794 });  // A4 landscape at 96 dpi
  await page.screenshot({ path: join(outDir, `${name}-a4.png`) });
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: join(outDir, `${name}-chromium.pdf`), format: "A4", landscape: true, preferCSSPageSize: true });
  const v = result.violations;
  console.log(`${basename(file)}: ${v.length} axe violations, ${result.passes.length} rules passed`);
  for (const item of v) {
    console.log(`  ${item.id} (${item.impact}): ${item.help} — ${item.nodes.length} nodes, e.g. ${item.nodes[0].target}`);
  }
  failed += v.length;
  await page.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
