#!/usr/bin/env bash
# The README's first command: Restore Drill on its embedded defaults, on a fresh machine.
# Installs what is missing, migrates the SQLite database under DATA_DIR, creates the first
# manager (printing the password once), starts the Jenkins emulator and the portal.
#   PORT (3000), PORTAL_HOST (127.0.0.1), DATA_DIR (./data), JENKINS_EMULATOR_PORT (8080)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DATA_DIR="${DATA_DIR:-$root/data}"
export PORT="${PORT:-3000}"
# Loopback unless told otherwise: serving other machines is a decision (PORTAL_HOST=0.0.0.0).
portal_host="${PORTAL_HOST:-127.0.0.1}"
emulator_port="${JENKINS_EMULATOR_PORT:-8080}"
manager_email="${MANAGER_EMAIL:-admin@restore-drill.local}"
mkdir -p "$DATA_DIR"
# 711, not 700: the demo's sandbox databases run as `nobody` below DATA_DIR/jenkins-emulator
# and must traverse it; nobody can list it, and every secret file in it is 0600.
chmod 711 "$DATA_DIR"

bash tools/setup.sh

# Server-side secrets of this installation, made once and kept beside its data (never in git).
secret_file() {
  local file="$DATA_DIR/$1"
  [[ -s "$file" ]] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=' >"$file")
  cat "$file"
}
NEXTAUTH_SECRET="$(secret_file auth-secret)"
export NEXTAUTH_SECRET
export NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:$PORT}"

npm run --silent db:migrate
npx tsx tools/create-manager.ts --email "$manager_email" --name "Administrator" --if-none

# shellcheck source=tools/lib/children.sh
source tools/lib/children.sh
trap stop_children EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The Jenkins emulator stands in for Jenkins; set JENKINS_URL to use a real one instead.
if [[ -z "${JENKINS_URL:-}" ]]; then
  jenkins_token="$(secret_file jenkins-api-token)"
  # Builds inherit the emulator's environment: the portal's session secret stays out of it.
  # The demo's host-key records live with the emulator, not in ~/.ssh. tsx rather than npx:
  # npx does not pass the cleanup's SIGTERM on, tsx does.
  start_child "the Jenkins emulator" env -u NEXTAUTH_SECRET JENKINS_EMULATOR_HOME="$DATA_DIR/jenkins-emulator" JENKINS_EMULATOR_PORT="$emulator_port" \
    JENKINS_EMULATOR_USERS="restore-drill::$jenkins_token" RD_KNOWN_HOSTS_FILE="$DATA_DIR/jenkins-emulator/known_hosts" \
    node_modules/.bin/tsx emulator/src/main.ts
  export JENKINS_URL="http://127.0.0.1:$emulator_port/" JENKINS_USER="restore-drill" JENKINS_API_TOKEN="$jenkins_token"

  # Demo (README "Try a restore"): the restore jobs, a loopback SSH backup host serving an
  # encrypted sample MariaDB dump, and its SSH and GPG keys stored as Jenkins credentials.
  RESTORE_DRILL_CALLBACK_SECRET="$(secret_file callback-secret)"
  export RESTORE_DRILL_CALLBACK_SECRET
  for _ in $(seq 1 60); do
    curl -fsS -o /dev/null -u "$JENKINS_USER:$JENKINS_API_TOKEN" "${JENKINS_URL}api/json" 2>/dev/null && break
    sleep 0.5
  done
  npm run --silent jobs:provision || echo "jobs:provision reported a problem (above); starting anyway." >&2
  rm -f -- "$DATA_DIR/demo/form-values.txt"
  start_child "the demo backup host" node_modules/.bin/tsx tools/demo/main.ts
  demo_pid="${child_pids[-1]}"
fi

# The portal checks the pipeline's signed callback with this; provisioning stored the same value
# in Jenkins as restore-drill-callback (with a real Jenkins, provision with this value too).
# Exported only after the emulator started, so builds never inherit it.
RESTORE_DRILL_CALLBACK_SECRET="${RESTORE_DRILL_CALLBACK_SECRET:-$(secret_file callback-secret)}"
export RESTORE_DRILL_CALLBACK_SECRET

if [[ ! -f .next/BUILD_ID ]]; then
  npx next build
fi

start_child "the portal" node_modules/.bin/next start -p "$PORT" -H "$portal_host"
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break
  sleep 1
done
# The demo backup host writes the run form's values once its keys are in Jenkins.
if [[ -n "${demo_pid:-}" ]]; then
  for _ in $(seq 1 120); do
    [[ -s "$DATA_DIR/demo/form-values.txt" ]] && break
    if ! kill -0 "$demo_pid" 2>/dev/null; then
      echo "The demo backup host did not start (see above); the portal runs without it." >&2
      forget_child "$demo_pid"
      break
    fi
    sleep 1
  done
fi
cat <<TXT

  Restore Drill is running: http://localhost:$PORT (listening on $portal_host)
  Sign in as $manager_email with the password printed when the manager was created
  (lost it? stop here and run: npm run create-manager -- --email $manager_email --reset).
  Jenkins: $JENKINS_URL    Data: $DATA_DIR    Stop: Ctrl-C

TXT
if [[ -s "$DATA_DIR/demo/form-values.txt" ]]; then sed 's/^/  /' "$DATA_DIR/demo/form-values.txt"; fi
wait_for_first_exit
