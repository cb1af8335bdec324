import { expect, type Page, type TestInfo } from "@playwright/test";
import { analyzeOneAtATime } from "./axe-one-at-a-time";

// One check for every page and state the browser tests visit (issue 19 item 7): the document is
// never wider than the viewport, axe finds no violation of ANY impact, and a full-page screenshot
// is kept in the test's output (test-results/) and attached to the report.

export async function check(page: Page, testInfo: TestInfo, label: string) {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect
    .soft(widths.scroll, `${label}: document ${widths.scroll} px wide in a ${widths.client} px viewport`)
    .toBeLessThanOrEqual(widths.client);
  const axe = await analyzeOneAtATime(page);
  const violations = axe.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect.soft(violations, `${label}: axe violations`).toEqual([]);
  const file = testInfo.outputPath(`${label.replace(/[^a-z0-9]+/gi, "_")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(label, { path: file, contentType: "image/png" });
}
