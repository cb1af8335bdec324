#!/usr/bin/env bash
# Starts the built portal for the browser tests on a fresh database with one known manager.
# Usage: tools/e2e-server.sh PORT   (after `npm run build`)
set -euo pipefail

port="${1:?PORT}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/rd-e2e-XXXXXX")"
export DATA_DIR
# Run browser tests (tests/e2e/runs.spec.ts): the facts file they read (tests/e2e/run-fixture.ts).
export E2E_FIXTURE_FILE="${E2E_FIXTURE_FILE:-${TMPDIR:-/tmp}/restore-drill-e2e-${port}.json}"
# Schedule browser tests (tests/e2e/schedules.spec.ts) check the jobs and fire timers in the
# emulator directly: its URL and this run's generated token, 0600, removed on exit.
E2E_JENKINS_FILE="${TMPDIR:-/tmp}/restore-drill-e2e-${port}-jenkins.json"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # A sandbox database or stage script of a run cut short lives on by design (destroy stops
  # it); anything still naming this run's unique temp dir is ours to stop.
  pkill -KILL -f -- "$DATA_DIR/" 2>/dev/null || true
  rm -f -- "$E2E_FIXTURE_FILE" "$E2E_JENKINS_FILE"
  rm -rf "${DATA_DIR:?}"
}
trap cleanup EXIT

export NEXTAUTH_URL="http://127.0.0.1:${port}"
NEXTAUTH_SECRET="$(head -c 32 /dev/urandom | base64)"
export NEXTAUTH_SECRET
unset DATABASE_URL

cd "$root"
printf '%s\n' "${E2E_MANAGER_PASSWORD:-e2e-Manager-pass-2026}" |
  npx tsx tools/create-manager.ts --email "${E2E_MANAGER_EMAIL:-manager@e2e.test}" --name "E2E Manager" --password-stdin

# --- Run browser tests: the Jenkins emulator with the jobs, a backup host, a Jenkins gate ---
# The sandbox databases run as `nobody` under the emulator's workspace: DATA_DIR must be
# traversable (its files stay 0600), and the home path short (MariaDB socket paths ≤ 107 bytes).
chmod 711 "$DATA_DIR"
rm -f -- "$E2E_FIXTURE_FILE"
emulator_port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')"
jenkins_token="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export JENKINS_EMULATOR_HOME="$DATA_DIR/jk"
# Builds inherit the emulator's environment: keep the portal's secrets out of it.
env -u NEXTAUTH_SECRET JENKINS_EMULATOR_PORT="$emulator_port" JENKINS_EMULATOR_QUIET_PERIOD=0 \
  JENKINS_EMULATOR_USERS="restore-drill::$jenkins_token" RD_KNOWN_HOSTS_FILE="$DATA_DIR/known_hosts" \
  node_modules/.bin/tsx emulator/src/main.ts &
pids+=("$!")
# Provisioning stores it as the restore-drill-callback credential; the portal checks the HMAC with it.
RESTORE_DRILL_CALLBACK_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export RESTORE_DRILL_CALLBACK_SECRET
export JENKINS_URL="http://127.0.0.1:$emulator_port/" JENKINS_USER="restore-drill" JENKINS_API_TOKEN="$jenkins_token"
(umask 077 && printf '{"url":"%s","user":"%s","token":"%s"}\n' "$JENKINS_URL" "$JENKINS_USER" "$JENKINS_API_TOKEN" >"$E2E_JENKINS_FILE")
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null -u "$JENKINS_USER:$JENKINS_API_TOKEN" "${JENKINS_URL}api/json" 2>/dev/null && break
  sleep 0.5
done
npx tsx tools/provision-jobs.ts >/dev/null
node_modules/.bin/tsx tests/e2e/fixtures/start-run-fixture.ts &
pids+=("$!")
for _ in $(seq 1 240); do
  [[ -s "$E2E_FIXTURE_FILE" ]] && break
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "e2e-server: the run fixture failed" >&2; exit 1; }
  sleep 0.5
done
# The portal reaches Jenkins through the gate, so a test can make Jenkins unreachable.
JENKINS_URL="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).jenkinsGate.url)' "$E2E_FIXTURE_FILE")"
# --- end of the run browser tests' servers ---

# Not exec: the EXIT trap must run when the server stops.
# Credentials browser tests (tests/e2e/credentials.spec.ts): the portal's output is also kept in
# $DATA_DIR/portal.log, which their secret-leak scan searches.
npx next start -p "$port" -H 127.0.0.1 > >(tee -a "$DATA_DIR/portal.log") 2> >(tee -a "$DATA_DIR/portal.log" >&2) &
pids+=("$!")
wait "${pids[-1]}"
