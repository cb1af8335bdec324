#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to run and test Restore Drill, then the npm
# dependencies, the native builds and the Prisma clients. Idempotent: a second run only checks.
#   SETUP_SKIP_APT=1  skip Debian packages (e.g. in a container that has them)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Debian packages, by the command that proves each one is present.
declare -A packages=(
  [jenkins-jobs]=jenkins-job-builder
  [mariadbd]=mariadb-server
  [mysql]=mariadb-client
  [psql]=postgresql-client
  [pg_ctl]=postgresql
  [sshd]=openssh-server
  [ssh]=openssh-client
  [gpg]=gnupg
  [sqlite3]=sqlite3
  [shellcheck]=shellcheck
  [chromium]=chromium
  [curl]=curl
  [jq]=jq
  [gzip]=gzip
  [setpriv]=util-linux
  [pkill]=procps
  [fuser]=psmisc
  # The docker sandbox's tests: Podman's Docker-compatible service on runc, images built with mmdebstrap
  # (see /work/shared/reference/containers.md and tools/container-images/build.sh).
  [podman]=podman
  [runc]=runc
  [mmdebstrap]=mmdebstrap
  [docker]=podman-docker
)
command_present() {
  command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]] || compgen -G "/usr/lib/postgresql/*/bin/$1" >/dev/null
}

if [[ "${SETUP_SKIP_APT:-0}" != 1 ]]; then
  missing=()
  for cmd in "${!packages[@]}"; do
    command_present "$cmd" || missing+=("${packages[$cmd]}")
  done
  # postgresql-contrib carries amcheck, which the restore stage uses.
  compgen -G "/usr/share/postgresql/*/extension/amcheck.control" >/dev/null || missing+=(postgresql-contrib)
  if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation ca-certificates >/dev/null
  fi
  # Debian starts these services on install; Restore Drill runs its own instances.
  for svc in mariadb postgresql ssh; do
    if command -v service >/dev/null 2>&1; then service "$svc" stop >/dev/null 2>&1 || true; fi
  done
  mkdir -p /run/sshd
  # crun fails on these hybrid-cgroup hosts and raising rlimits is not allowed: runc, no default ulimits.
  if [[ ! -s /etc/containers/containers.conf ]]; then
    mkdir -p /etc/containers
    printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >/etc/containers/containers.conf
  fi
fi

# `npm install`, not `npm ci`: the registry mirror these machines reach serves only the Linux
# builds of packages with per-platform optional dependencies (swc, next), so the lock file
# cannot list the others, and `npm ci` refuses a lock file that does not list them all.
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm dependencies"
  npm install --no-audit --no-fund
fi

# npm 11 runs install scripts only for packages allowed in package.json ("allowScripts");
# build the native module here in case that setting is not honoured.
if ! node -e 'require("better-sqlite3")(":memory:").close()' >/dev/null 2>&1; then
  echo "setup: building better-sqlite3"
  npm rebuild better-sqlite3
fi

npm run --silent db:generate
echo "setup: done"
