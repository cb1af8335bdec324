#!/usr/bin/env bash
# npm test: the whole suite, as CI runs it — setup, lint, formatting, typecheck, every Jest project (unit,
# jobs, emulator, integration against real servers), the production build, the browser tests.
# PostgreSQL for the integration tests: TEST_POSTGRES_URL, or one started by Jest's globalSetup.
# Ends with one line "tests: N passed, N failed" counting Jest and Playwright tests together.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The machine-readable results behind the last line; not in test-results/, which Playwright
# empties when it starts.
results="$(mktemp -d "${TMPDIR:-/tmp}/restore-drill-test-results-XXXXXX")"
trap 'rm -rf -- "$results"' EXIT

# A fresh machine has nothing yet: install what is missing (quick when all is there).
bash tools/setup.sh

# The docker sandbox's test images (minutes when not cached): built in the background while lint, typecheck
# and the other tests run; tests/jobs/docker-sandbox.test.ts waits for it (build.sh holds a lock).
tools/container-images/build.sh >"$results/container-images.log" 2>&1 &

status=0
step() {
  local name="$1"
  shift
  echo "── ${name}"
  if ! "$@"; then
    echo "── ${name}: FAILED"
    status=1
  fi
}

step "lint" npx eslint . --max-warnings=0
step "format" npm run --silent format:check
step "typecheck" npx tsc --noEmit
# --forceExit: a test that leaves a socket or timer open must not hold CI until its time limit.
step "jest" npx jest --ci --forceExit --json --outputFile="$results/jest.json"
# The Jenkins-facing subset once more against the emulator as the older LTS line (2.492.3:
# console notes stripped from progressiveText, X-Text-Size after the last whole line); the
# full suites above ran against the current LTS. Chosen to cover what differs between the
# lines (logs, live console, stages, configs, faults) in about two minutes on CI; the long
# end-to-end restores run once.
legacy_subset=(
  tests/emulator
  tests/integration/jenkins/adapter.test.ts
  tests/integration/jenkins/transport.test.ts
  tests/integration/runs/live.test.ts
  tests/integration/runs/faults.test.ts
  tests/integration/runs/start-and-reconcile.test.ts
  tests/integration/runs/routes.test.ts
  tests/integration/schedules/lifecycle.test.ts
  tests/integration/schedules/faults.test.ts
)
# (paths before --selectProjects, which would take them for project names)
step "jest (Jenkins 2.492.3 line)" env JENKINS_EMULATOR_VERSION=2.492.3 npx jest "${legacy_subset[@]}" --ci --forceExit \
  --json --outputFile="$results/jest-legacy.json" --selectProjects emulator integration
step "build" npx next build
step "browser tests" env PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json

node - "$results" <<'JS'
const fs = require("node:fs");
const dir = process.argv[2];
const read = (f) => (fs.existsSync(`${dir}/${f}`) ? JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8")) : null);
const jest = read("jest.json");
const legacy = read("jest-legacy.json");
const pw = read("playwright.json");
// A suite that wrote no results did not run to the end: say so rather than count it as nothing.
for (const [name, data] of [["jest", jest], ["jest (Jenkins 2.492.3 line)", legacy], ["playwright", pw]]) if (!data) console.log(`${name}: no results were written`);
const passed = (jest?.numPassedTests ?? 0) + (legacy?.numPassedTests ?? 0) + (pw?.stats?.expected ?? 0);
const failed = (jest?.numFailedTests ?? 0) + (legacy?.numFailedTests ?? 0) + (pw?.stats?.unexpected ?? 0) + (pw?.stats?.flaky ?? 0) + (jest ? 0 : 1) + (legacy ? 0 : 1) + (pw ? 0 : 1);
const skipped = (jest?.numPendingTests ?? 0) + (legacy?.numPendingTests ?? 0) + (pw?.stats?.skipped ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
JS
exit "$status"
