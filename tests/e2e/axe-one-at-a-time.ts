import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

// axe refuses a second run in a page while one is going ("Axe is already running"). The check on
// every page load (checked-test.ts) and a spec's own check() (page-check.ts) can meet on one page,
// so every analysis of a page waits for the one before it.

const running = new WeakMap<Page, Promise<unknown>>();

export function analyzeOneAtATime(page: Page): ReturnType<AxeBuilder["analyze"]> {
  const before = running.get(page) ?? Promise.resolve();
  const next = before.catch(() => undefined).then(() => new AxeBuilder({ page }).analyze());
  running.set(page, next);
  return next;
}
