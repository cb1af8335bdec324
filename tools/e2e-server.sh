#!/usr/bin/env bash
# Starts the built portal for the browser tests on a fresh database with one known manager.
# Usage: tools/e2e-server.sh PORT   (after `npm run build`)
set -euo pipefail

port="${1:?PORT}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/rd-e2e-XXXXXX")"
export DATA_DIR
cleanup() { rm -rf "${DATA_DIR:?}"; }
trap cleanup EXIT

export NEXTAUTH_URL="http://127.0.0.1:${port}"
NEXTAUTH_SECRET="$(head -c 32 /dev/urandom | base64)"
export NEXTAUTH_SECRET
unset DATABASE_URL

cd "$root"
printf '%s\n' "${E2E_MANAGER_PASSWORD:-e2e-Manager-pass-2026}" |
  npx tsx tools/create-manager.ts --email "${E2E_MANAGER_EMAIL:-manager@e2e.test}" --name "E2E Manager" --password-stdin
# Not exec: the EXIT trap must run when the server stops.
npx next start -p "$port" -H 127.0.0.1 &
wait "$!"
