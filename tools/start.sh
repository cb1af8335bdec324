#!/usr/bin/env bash
# The README's first command: Restore Drill on its embedded defaults, on a fresh machine.
# Installs what is missing, migrates the SQLite database under DATA_DIR, creates the first
# manager (printing the password once), starts the Jenkins emulator and the portal.
#   PORT (3000), DATA_DIR (./data), JENKINS_EMULATOR_PORT (8080)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DATA_DIR="${DATA_DIR:-$root/data}"
export PORT="${PORT:-3000}"
emulator_port="${JENKINS_EMULATOR_PORT:-8080}"
manager_email="${MANAGER_EMAIL:-admin@restore-drill.local}"
mkdir -p "$DATA_DIR"
chmod 700 "$DATA_DIR"

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

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The Jenkins emulator stands in for Jenkins; set JENKINS_URL to use a real one instead.
if [[ -z "${JENKINS_URL:-}" ]]; then
  jenkins_token="$(secret_file jenkins-api-token)"
  JENKINS_EMULATOR_HOME="$DATA_DIR/jenkins-emulator" JENKINS_EMULATOR_PORT="$emulator_port" \
    JENKINS_EMULATOR_USERS="restore-drill::$jenkins_token" npx tsx emulator/src/main.ts &
  pids+=("$!")
  export JENKINS_URL="http://127.0.0.1:$emulator_port/" JENKINS_USER="restore-drill" JENKINS_API_TOKEN="$jenkins_token"
fi

if [[ ! -f .next/BUILD_ID ]]; then
  npx next build
fi

npx next start -p "$PORT" &
pids+=("$!")
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break
  sleep 1
done
cat <<TXT

  Restore Drill is running: http://localhost:$PORT
  Sign in as $manager_email with the password printed when the manager was created
  (lost it? stop here and run: npm run create-manager -- --email $manager_email --reset).
  Jenkins: $JENKINS_URL    Data: $DATA_DIR    Stop: Ctrl-C

TXT
wait -n "${pids[@]}"
