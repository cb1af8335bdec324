#!/usr/bin/env bash
# The engine table of the docker sandbox provider: one entry per DB_TYPE, the
# only engine-specific part of scripts/lib/container.sh. Adding an engine
# (e.g. mongodb) is one more entry here plus its probe and version query.
#
# rd_engine_load DB_TYPE sets:
#   ENGINE_NAME        engine recorded in the sandbox handle (restore checks it)
#   ENGINE_IMAGE       default image when neither the run nor the allow-list names one
#   ENGINE_SOCKET_DIR  the server's socket directory inside the container; the
#                      sandbox's socket directory is mounted there (no network)
#   ENGINE_CAP_ADD     the capabilities the image's entrypoint needs after
#                      --cap-drop=ALL (measured: chown/mkdir/chmod of its directories)
#   ENGINE_ENV         the official image's documented variables, NAME=@ for the password
#   ENGINE_SETUP       function writing the host-side client settings (client.cnf, pgpass)
#   ENGINE_PROBE       function that succeeds once the server answers a query
#   ENGINE_VERSION_SQL function printing the server's version
# shellcheck disable=SC2034 # the table sets variables scripts/lib/container.sh reads
rd_engine_load() {
  case "$1" in
    mysql)
      ENGINE_NAME=mariadb
      ENGINE_IMAGE="mariadb:11.4"
      ENGINE_SOCKET_DIR=/run/mysqld
      ENGINE_CAP_ADD=(CHOWN SETUID SETGID DAC_OVERRIDE FOWNER) # FOWNER: the entrypoint opens the mounted socket directory to the host
      ENGINE_ENV=(MARIADB_ROOT_PASSWORD=@ MYSQL_ROOT_PASSWORD=@)
      ENGINE_SETUP=rd_engine_mysql_setup
      ENGINE_PROBE=rd_engine_mysql_probe
      ENGINE_VERSION_SQL=rd_engine_mysql_version
      ;;
    postgresql)
      ENGINE_NAME=postgresql
      ENGINE_IMAGE="postgres:16"
      ENGINE_SOCKET_DIR=/var/run/postgresql
      ENGINE_CAP_ADD=(CHOWN SETUID SETGID DAC_OVERRIDE FOWNER)
      ENGINE_ENV=(POSTGRES_PASSWORD=@ POSTGRES_USER=postgres POSTGRES_INITDB_ARGS=--no-sync)
      ENGINE_SETUP=rd_engine_postgresql_setup
      ENGINE_PROBE=rd_engine_postgresql_probe
      ENGINE_VERSION_SQL=rd_engine_postgresql_version
      ;;
    mongodb) rd_engine_mongodb_load ;; # scripts/lib/mongo-container.sh
    *) return 1 ;;
  esac
}

# $1 = sandbox directory, $2 = host socket directory, $3 = password.
rd_engine_mysql_setup() {
  command -v mysql >/dev/null || rd_fail ENGINE_MISSING "the mysql client is not installed on this node"
  printf '[client]\nuser=root\npassword=%s\nsocket=%s/mysqld.sock\n' "$3" "$2" >"$1/client.cnf"
}
rd_engine_mysql_probe() { mysql --defaults-file="$RD_SANDBOX/client.cnf" -N -B -e 'SELECT 1'; }
rd_engine_mysql_version() { mysql --defaults-file="$RD_SANDBOX/client.cnf" -N -B -e 'SELECT VERSION()'; }

# shellcheck disable=SC2034 # RD_PG_* go into the handle (deploy.sh write_handle)
rd_engine_postgresql_setup() {
  RD_PG_BIN=$(pg_bindir)
  [[ -x "$RD_PG_BIN/psql" ]] || rd_fail ENGINE_MISSING "the PostgreSQL client tools are not installed on this node ($RD_PG_BIN)"
  RD_PG_HOST="$2"
  RD_PG_PORT=5432
  printf '%s:%s:*:postgres:%s\n' "$2" 5432 "$3" >"$1/pgpass"
  chmod 0600 -- "$1/pgpass"
  export PGHOST="$2" PGPORT=5432 PGUSER=postgres PGPASSFILE="$1/pgpass"
}
rd_engine_postgresql_probe() { "$RD_PG_BIN/psql" -X -d postgres -At -c 'SELECT 1'; }
rd_engine_postgresql_version() { "$RD_PG_BIN/psql" -X -d postgres -At -c 'SHOW server_version'; }
