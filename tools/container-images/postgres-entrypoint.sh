#!/bin/sh
# Entrypoint of the test PostgreSQL image: honours the official postgres
# image's documented POSTGRES_PASSWORD, POSTGRES_USER, PGDATA and
# POSTGRES_INITDB_ARGS, and serves on the socket directory /var/run/postgresql
# only (the sandbox has no network).
set -eu
pw="${POSTGRES_PASSWORD:-}"
[ -n "$pw" ] || { echo "POSTGRES_PASSWORD is required" >&2; exit 1; }
user="${POSTGRES_USER:-postgres}"
data="${PGDATA:-/var/lib/postgresql/data}"
bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin | sort -V | tail -n 1)
mkdir -p "$data" /var/run/postgresql
chown postgres:postgres "$data" /var/run/postgresql
chmod 0700 "$data"
chmod 0755 /var/run/postgresql
if [ ! -s "$data/PG_VERSION" ]; then
  umask 077
  printf '%s\n' "$pw" >/run/pwfile
  chown postgres /run/pwfile
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
  setpriv --reuid=postgres --regid=postgres --init-groups "$bin/initdb" -D "$data" -U "$user" --pwfile=/run/pwfile \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f /run/pwfile
fi
unset POSTGRES_PASSWORD pw
exec setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" -D "$data" -c listen_addresses= \
  -k /var/run/postgresql -c fsync=off -c full_page_writes=off -c synchronous_commit=off "$@"
