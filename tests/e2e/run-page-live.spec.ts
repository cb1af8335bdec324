import { type Page } from "@playwright/test";
import { expect, test } from "./checked-test";
import { check } from "./page-check";
import { fillRunForm, readRunFixture, submitRun } from "./run-fixture";
import { MANAGER, signIn } from "./support";

// The run page never contradicts itself on a live run (issue 19): sampled every 150 ms from the submit
// until a few seconds after the verdict, the header never goes back to "Running — Starting the pipeline"
// once a stage passed, Stop is not offered after the end, and no elapsed time (run or stage) goes backwards.
// While the build waits in Jenkins' queue the header counts the wait, labelled so; once it starts, the
// clock is the build's own run time and the wait never shows again.

test.setTimeout(240_000);

interface Sample {
  header: string;
  stop: number;
  runSeconds: number | null;
  /** Before Jenkins starts the build the clock counts the wait instead ("waiting 9 s"). */
  waitSeconds: number | null;
  stages: Array<{ name: string; status: string; seconds: number | null }>;
}

/** "1 min 5 s" → 65; "" or "…" → null. */
function seconds(text: string): number | null {
  const m = /^(?:(\d+) h )?(?:(\d+) min )?(\d+) s$/.exec(text.trim()) ?? /^(\d+) h (\d+) min$/.exec(text.trim());
  if (!m) return null;
  if (m.length === 3) return Number(m[1]) * 3600 + Number(m[2]) * 60;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]);
}

async function sample(page: Page): Promise<Sample> {
  const raw = await page.evaluate(() => {
    const verdict = document.querySelector('section[aria-label="Verdict"]');
    return {
      header: verdict?.textContent ?? "",
      runTime: verdict?.querySelector(".verdict-head .muted")?.textContent ?? "",
      stop: [...document.querySelectorAll("button")].filter((b) => b.textContent?.trim() === "Stop restore").length,
      stages: [...document.querySelectorAll('ol[aria-label="Stages"] li[data-stage]')].map((li) => ({
        name: li.getAttribute("data-stage") ?? "",
        status: li.querySelector(".badge")?.textContent ?? "",
        time: li.querySelector(".stage-time")?.textContent ?? "",
      })),
    };
  });
  return {
    header: raw.header,
    stop: raw.stop,
    runSeconds: seconds(raw.runTime),
    waitSeconds: raw.runTime.startsWith("waiting ") ? seconds(raw.runTime.slice("waiting ".length)) : null,
    stages: raw.stages.map((s) => ({ name: s.name, status: s.status, seconds: seconds(s.time) })),
  };
}

test("a live run's header and stage cards agree at every moment, and no time goes backwards", async ({ page }, testInfo) => {
  const fixture = readRunFixture();
  await signIn(page, MANAGER.email, MANAGER.password);
  await page.goto("/runs/new");
  await fillRunForm(page, fixture, { backupPath: fixture.postgres.path, dbType: "postgresql" });
  await submitRun(page);
  await check(page, testInfo, "run page just started");

  const samples: Sample[] = [];
  let endedAt: number | null = null;
  const deadline = Date.now() + 180_000;
  let checkedRunning = false;
  while (Date.now() < deadline && (endedAt === null || Date.now() - endedAt < 5000)) {
    const s = await sample(page);
    samples.push(s);
    if (endedAt === null && /Passed|Failed|Could not verify|Aborted/.test(s.header)) endedAt = Date.now();
    if (!checkedRunning && s.stages.some((x) => x.status === "running")) {
      checkedRunning = true;
      await check(page, testInfo, "run page with a stage running");
    }
    await page.waitForTimeout(150);
  }
  expect(endedAt, "the run reached a verdict").not.toBeNull();
  expect(samples.at(-1)!.header).toContain("Passed");

  let stagePassed = false;
  let ended = false;
  for (const [i, s] of samples.entries()) {
    if (stagePassed) expect(s.header, `sample ${i}: back to "Starting" after a stage passed`).not.toMatch(/Starting the pipeline/);
    if (ended) expect(s.stop, `sample ${i}: Stop offered after the end`).toBe(0);
    stagePassed ||= s.stages.some((x) => x.status === "passed");
    ended ||= /Passed|Failed|Could not verify|Aborted/.test(s.header);
    const before = samples[i - 1];
    if (!before) continue;
    if (before.waitSeconds !== null && s.waitSeconds !== null)
      expect(s.waitSeconds, `sample ${i}: wait ${before.waitSeconds} s → ${s.waitSeconds} s`).toBeGreaterThanOrEqual(before.waitSeconds);
    if (samples.slice(0, i).some((x) => x.runSeconds !== null))
      expect(s.waitSeconds, `sample ${i}: back to waiting after the build started`).toBeNull();
    if (before.runSeconds !== null && s.runSeconds !== null)
      expect(s.runSeconds, `sample ${i}: run time ${before.runSeconds} s → ${s.runSeconds} s`).toBeGreaterThanOrEqual(before.runSeconds);
    for (const stage of s.stages) {
      const was = before.stages.find((x) => x.name === stage.name)?.seconds;
      if (was != null && stage.seconds !== null)
        expect(stage.seconds, `sample ${i}: ${stage.name} ${was} s → ${stage.seconds} s`).toBeGreaterThanOrEqual(was);
    }
  }
  expect(stagePassed).toBe(true);
  await check(page, testInfo, "run page passed");
});
