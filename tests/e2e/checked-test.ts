import { expect, test as base } from "@playwright/test";
import { analyzeOneAtATime } from "./axe-one-at-a-time";
import { check } from "./page-check";

// The `test` every spec uses (issue 19 item 7): axe, at ANY impact, on every page the test loads — each `load`
// of the main frame is analysed as it comes — and the full page check (width, axe, screenshot) on the state the
// test ends in. Specs still call check() at the in-page states they reach by clicking (a dialog, a failed form).

export const test = base.extend<{ axeEveryPage: void }>({
  axeEveryPage: [
    async ({ page }, use, testInfo) => {
      const found: string[] = [];
      let chain: Promise<void> = Promise.resolve();
      const analyse = () => {
        const url = page.url();
        if (!url.startsWith("http")) return;
        chain = chain.then(async () => {
          try {
            const axe = await analyzeOneAtATime(page);
            for (const v of axe.violations)
              found.push(`${new URL(url).pathname}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
          } catch {
            // The page moved on while axe ran (the test navigated): the next load is analysed instead.
          }
        });
      };
      page.on("load", analyse);
      await use();
      page.off("load", analyse);
      await chain;
      expect.soft(found, "axe violations on the pages this test loaded").toEqual([]);
      if (testInfo.status === testInfo.expectedStatus && page.url().startsWith("http"))
        await check(page, testInfo, `end state ${new URL(page.url()).pathname}`);
    },
    { auto: true },
  ],
});

export { expect };
