#!/usr/bin/env bash
# A throwaway PostgreSQL server for development and tests, on loopback, as the postgres user.
#   tools/postgres.sh start DIR PORT   → prints postgresql://postgres@127.0.0.1:PORT/postgres
#   tools/postgres.sh stop DIR
set -euo pipefail

pg_bins=(/usr/lib/postgresql/*/bin)
PG_BIN="${PG_BIN:-${pg_bins[-1]}}"
RUN_AS="${PG_RUN_AS:-postgres}"

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

start() {
  local dir="$1" port="$2"
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then chown "$RUN_AS" "$dir"; fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    as_owner "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
  fi
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir="$1"
  [[ -f "$dir/data/postmaster.pid" ]] || return 0
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

case "${1:-}" in
  start) start "${2:?DIR}" "${3:?PORT}" ;;
  stop) stop "${2:?DIR}" ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
