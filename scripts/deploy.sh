#!/usr/bin/env bash
# Stage "deploy": start a disposable database server for DB_TYPE.
#
# Env: RUN_DIR (per-run directory), DB_TYPE (mysql|postgresql|sqlite),
#      SANDBOX_PROVIDER (local|docker), REPORT_DIR (stage records),
#      SANDBOX_IMAGE, MATCH_ENGINE_VERSION (docker only; scripts/lib/container.sh),
#      SANDBOX_RUN_AS (user to drop to when run as root; default nobody).
# Engine overrides (node configuration, not build parameters):
#      RD_MARIADB_SERVER, RD_MARIADB_INSTALL_DB, RD_PG_BINDIR, RD_SQLITE3.
# Writes RUN_DIR/sandbox/handle.json, read by restore and destroy, and the
# run's lease in RD_LEASE_DIR (node setting; default ~/.restore-drill/leases).
# First sweeps sandboxes whose build is over (scripts/lib/sandbox.sh).
# Example: RUN_DIR=/tmp/run1 DB_TYPE=postgresql scripts/deploy.sh
if ! declare -F rd_fail >/dev/null; then
  # shellcheck source=lib/common.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
fi
if ! declare -F rd_teardown_run >/dev/null; then
  # shellcheck source=lib/sandbox.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/sandbox.sh"
fi
if ! declare -F rd_container_deploy >/dev/null; then
  # shellcheck source=lib/engines.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/engines.sh"
  # shellcheck source=lib/container.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/container.sh"
fi
if ! declare -F rd_mongo_local_deploy >/dev/null; then
  # shellcheck source=lib/mongo.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/mongo.sh"
fi

# Generous on purpose: on a loaded 2-core agent a cold mariadbd/postgres can
# take far longer than on a quiet one, and a slow start is not a failure.
SANDBOX_READY_TIMEOUT_S=90
MARIADB_INSTALL_ATTEMPTS=3
MARIADB_INSTALL_TIMEOUT_S=180
RD_SERVER_PID=""
RD_SOCKET_DIR=""
RD_CONTAINER_NAME=""

# If deploy fails half-way, stop whatever it started; destroy still removes files.
deploy_cleanup() {
  if [[ "$RD_STAGE_FINISHED" != 1 || ! -s "$RD_SANDBOX/handle.json" ]] && [[ -n "$RD_SERVER_PID" ]]; then
    kill -KILL "$RD_SERVER_PID" 2>/dev/null || true
  fi
  if [[ "$RD_STAGE_FINISHED" != 1 || ! -s "$RD_SANDBOX/handle.json" ]] && [[ -n "$RD_SOCKET_DIR" ]]; then
    rm -rf --one-file-system -- "$RD_SOCKET_DIR"
  fi
  if [[ "$RD_STAGE_FINISHED" != 1 || ! -s "$RD_SANDBOX/handle.json" ]] && [[ -s "$RD_SANDBOX/container" ]]; then
    RD_RUN_DIR="$RD_RUN_DIR" rd_container_remove_recorded || true
  fi
}

free_loopback_port() {
  local port tries
  for tries in $(seq 1 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s' "$port"
      return 0
    fi
    : "$tries"
  done
  return 1
}

server_alive() { [[ -n "$RD_SERVER_PID" ]] && kill -0 "$RD_SERVER_PID" 2>/dev/null; }

wait_until_ready() {
  local probe_name="$1" log="$2" deadline
  deadline=$((SECONDS + SANDBOX_READY_TIMEOUT_S))
  until "$probe_name" >/dev/null 2>&1; do
    if ! server_alive || ((SECONDS >= deadline)); then
      rd_log "sandbox server log (last lines):"
      tail -n 15 -- "$log" >&2 || true
      rd_fail SANDBOX_START_FAILED "the ${DB_TYPE:-} sandbox server did not become ready (see server log above)"
    fi
    sleep 0.05
  done
}

# ------------------------------------------------------------------ MariaDB
mariadb_probe() { mysqladmin --defaults-file="$RD_SANDBOX/client.cnf" ping; }

# mariadb-install-db bootstraps a throw-away mariadbd; on a loaded machine that
# can fail or hang once (CI saw it). Each attempt gets a time limit and a clean
# data directory; every failure prints the install log's tail to the console.
install_mariadb_datadir() {
  local install_db="$1" data="$2" ilog="$RD_SANDBOX/install.log" attempt rc=0 why
  for ((attempt = 1; attempt <= MARIADB_INSTALL_ATTEMPTS; attempt++)); do
    rc=0
    "${RD_RUN_AS[@]}" mkdir -p -- "$data"
    printf -- '--- mariadb-install-db attempt %s of %s\n' "$attempt" "$MARIADB_INSTALL_ATTEMPTS" >>"$ilog"
    timeout --kill-after=10 "$MARIADB_INSTALL_TIMEOUT_S" "${RD_RUN_AS[@]}" "$install_db" --no-defaults \
      --datadir="$data" --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve >>"$ilog" 2>&1 || rc=$?
    ((rc == 0)) && return 0
    why="exit $rc"
    ((rc == 124 || rc == 137)) && why="timed out after ${MARIADB_INSTALL_TIMEOUT_S}s"
    rd_log "mariadb-install-db failed (attempt $attempt of $MARIADB_INSTALL_ATTEMPTS, $why); install log (last lines):"
    tail -n 20 -- "$ilog" | sed 's/^/[mariadb-install-db] /' >&2 || true
    rm -rf --one-file-system -- "$data"
    ((attempt < MARIADB_INSTALL_ATTEMPTS)) && sleep "$((attempt * 2))"
  done
  local last
  last=$({ grep -v '^--- mariadb-install-db attempt' -- "$ilog" | grep -v '^[[:space:]]*$' | tail -n 1; } | tr -d '\000-\037' | cut -c1-200)
  rd_fail SANDBOX_START_FAILED "mariadb-install-db could not initialise the sandbox data directory ($why, $MARIADB_INSTALL_ATTEMPTS attempts): ${last:-no output}"
}

deploy_mariadb() {
  local server="${RD_MARIADB_SERVER:-$(command -v mariadbd || command -v mysqld || true)}"
  local install_db="${RD_MARIADB_INSTALL_DB:-$(command -v mariadb-install-db || command -v mysql_install_db || true)}"
  [[ -n "$server" && -x "$server" && -n "$install_db" && -x "$install_db" ]] ||
    rd_fail ENGINE_MISSING "MariaDB server binaries (mariadbd, mariadb-install-db) are not installed on this node"
  command -v mysql >/dev/null || rd_fail ENGINE_MISSING "the mysql client is not installed on this node"

  local data="$RD_SANDBOX/data" sock="$RD_SANDBOX/mysqld.sock" log="$RD_SANDBOX/server.log"
  local password net_args=() client_target
  password=$(rd_hex_secret)
  install_mariadb_datadir "$install_db" "$data"
  # The init file sets the root password at startup; the value is our own hex.
  printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\nCREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY '%s';\nGRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n" \
    "$password" "$password" >"$RD_SANDBOX/init.sql"
  chown -- "$RD_SANDBOX_USER" "$RD_SANDBOX/init.sql"
  if socket_fits "$sock"; then
    net_args=(--skip-networking "--socket=$sock")
    client_target="socket=$sock"
    rd_fact_str endpoint "socket"
  else
    local port
    port=$(free_loopback_port) || rd_fail SANDBOX_START_FAILED "no free loopback port for the sandbox"
    make_short_socket_dir
    net_args=(--bind-address=127.0.0.1 "--port=$port" "--socket=$RD_SOCKET_DIR/mysqld.sock")
    client_target=$(printf 'host=127.0.0.1\nport=%s\nprotocol=tcp' "$port")
    rd_fact_str endpoint "tcp:127.0.0.1:$port"
  fi
  printf '[client]\nuser=root\npassword=%s\n%s\n' "$password" "$client_target" >"$RD_SANDBOX/client.cnf"

  rd_spawn_detached "$log" "${RD_RUN_AS[@]}" "$server" --no-defaults --datadir="$data" "${net_args[@]}" \
    --pid-file="$RD_SANDBOX/server.pid" --init-file="$RD_SANDBOX/init.sql" --skip-name-resolve \
    --skip-log-bin --innodb-buffer-pool-size=256M \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --max-allowed-packet=1G
  RD_SERVER_PID=$!
  wait_until_ready mariadb_probe "$log"
  rm -f -- "$RD_SANDBOX/init.sql"
  RD_ENGINE=mariadb
  RD_ENGINE_VERSION=$(mysql --defaults-file="$RD_SANDBOX/client.cnf" -N -B -e 'SELECT VERSION()')
}

# --------------------------------------------------------------- PostgreSQL
pg_bindir() {
  if [[ -n "${RD_PG_BINDIR:-}" ]]; then
    printf '%s' "$RD_PG_BINDIR"
    return
  fi
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  printf '%s' "${dir:-/usr/lib/postgresql/missing/bin}"
}

pg_probe() { "$RD_PG_BIN/psql" -X -d postgres -At -c 'SELECT 1'; }

deploy_postgresql() {
  RD_PG_BIN=$(pg_bindir)
  [[ -x "$RD_PG_BIN/postgres" && -x "$RD_PG_BIN/initdb" && -x "$RD_PG_BIN/psql" ]] ||
    rd_fail ENGINE_MISSING "PostgreSQL server binaries are not installed on this node ($RD_PG_BIN)"
  local data="$RD_SANDBOX/data" log="$RD_SANDBOX/server.log" password net_args=()
  password=$(rd_hex_secret)
  printf '%s\n' "$password" >"$RD_SANDBOX/pwfile"
  chown -- "$RD_SANDBOX_USER" "$RD_SANDBOX/pwfile"
  if ! "${RD_RUN_AS[@]}" "$RD_PG_BIN/initdb" -D "$data" -U postgres --pwfile="$RD_SANDBOX/pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C >>"$log" 2>&1; then
    tail -n 15 -- "$log" >&2 || true
    rd_fail SANDBOX_START_FAILED "initdb could not initialise the sandbox data directory"
  fi
  rm -f -- "$RD_SANDBOX/pwfile"
  local host port=5432
  if socket_fits "$RD_SANDBOX/.s.PGSQL.5432"; then
    host="$RD_SANDBOX"
    net_args=(-c "listen_addresses=" -k "$RD_SANDBOX")
    rd_fact_str endpoint "socket"
  else
    port=$(free_loopback_port) || rd_fail SANDBOX_START_FAILED "no free loopback port for the sandbox"
    host=127.0.0.1
    net_args=(-c "listen_addresses=127.0.0.1" -k "" -p "$port")
    rd_fact_str endpoint "tcp:127.0.0.1:$port"
  fi
  printf '%s:%s:*:postgres:%s\n' "$host" "$port" "$password" >"$RD_SANDBOX/pgpass"
  export PGHOST="$host" PGPORT="$port" PGUSER=postgres PGPASSFILE="$RD_SANDBOX/pgpass"

  rd_spawn_detached "$log" "${RD_RUN_AS[@]}" "$RD_PG_BIN/postgres" -D "$data" "${net_args[@]}" \
    -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_wal_size=4GB \
    -c maintenance_work_mem=256MB -c shared_buffers=256MB
  RD_SERVER_PID=$!
  wait_until_ready pg_probe "$log"
  RD_ENGINE=postgresql
  RD_ENGINE_VERSION=$("$RD_PG_BIN/psql" -X -d postgres -At -c 'SHOW server_version')
  RD_PG_HOST="$host"
  RD_PG_PORT="$port"
}

# ------------------------------------------------------------------- SQLite
deploy_sqlite() {
  local sqlite="${RD_SQLITE3:-$(command -v sqlite3 || true)}"
  [[ -n "$sqlite" && -x "$sqlite" ]] || rd_fail ENGINE_MISSING "sqlite3 is not installed on this node"
  RD_ENGINE=sqlite
  RD_ENGINE_VERSION=$("$sqlite" :memory: 'SELECT sqlite_version()')
}

write_handle() {
  jq -n --arg engine "$RD_ENGINE" --arg version "$RD_ENGINE_VERSION" --arg dbType "$DB_TYPE" \
    --arg sandbox "$RD_SANDBOX" --arg pid "$RD_SERVER_PID" --arg user "$RD_SANDBOX_USER" \
    --arg socketDir "$RD_SOCKET_DIR" --arg container "$RD_CONTAINER_NAME" --arg pgBin "${RD_PG_BIN:-}" --arg pgHost "${RD_PG_HOST:-}" --arg pgPort "${RD_PG_PORT:-}" \
    --argjson startMs "$1" \
    '{engine: $engine, version: $version, dbType: $dbType, dir: $sandbox, user: $user,
      pid: (if $pid == "" then null else ($pid | tonumber) end), startMs: $startMs,
      socketDir: (if $socketDir == "" then null else $socketDir end),
      container: (if $container == "" then null else $container end),
      postgres: (if $pgBin == "" then null else {bin: $pgBin, host: $pgHost, port: ($pgPort | tonumber)} end)}' \
    >"$RD_SANDBOX/handle.json"
}

# Every directory above the sandbox must let the sandbox user through.
check_sandbox_reachable() {
  ((${#RD_RUN_AS[@]} == 0)) && return 0
  "${RD_RUN_AS[@]}" test -w "$RD_SANDBOX" ||
    rd_fail SANDBOX_START_FAILED "sandbox user $RD_SANDBOX_USER cannot reach $RD_SANDBOX; make the parent directories traversable (chmod o+x) or set SANDBOX_RUN_AS"
}

main() {
  rd_stage_begin deploy
  rd_resolve_run_dir
  local db_type="${DB_TYPE:-}" provider="${SANDBOX_PROVIDER:-local}"
  rd_require_db_type "$db_type"
  rd_require_provider "$provider"
  rd_init_run_as
  rd_ensure_run_dir "$RD_RUN_DIR"
  RD_SANDBOX="$RD_RUN_DIR/sandbox"
  [[ ! -e "$RD_SANDBOX" ]] || rd_fail SANDBOX_EXISTS "a sandbox already exists in $RD_RUN_DIR; run destroy first"
  rd_log "sweep of finished builds' sandboxes: $(rd_sweep "$RD_RUN_DIR" || echo 'did not complete')"
  [[ "$provider" != docker ]] || rd_log "sweep of containers whose run is gone: $(rd_container_sweep_orphans) removed"
  rd_lease_write "$RD_RUN_DIR"
  rd_on_cleanup deploy_cleanup
  mkdir -m 0700 -- "$RD_SANDBOX"
  chown -- "$RD_SANDBOX_USER" "$RD_SANDBOX"
  check_sandbox_reachable
  rd_fact_str provider "$provider"
  rd_fact_str runAs "$RD_SANDBOX_USER"

  local started_ms
  started_ms=$(rd_epoch_ms)
  case "$provider:$db_type" in
    docker:sqlite) deploy_sqlite ;; # a file, not a server: nothing to contain
    docker:*) rd_container_deploy "$db_type" ;;
    *:mysql) deploy_mariadb ;;
    *:postgresql) deploy_postgresql ;;
    *:sqlite) deploy_sqlite ;;
    *:mongodb) rd_mongo_local_deploy ;;
  esac
  local elapsed_ms=$(($(rd_epoch_ms) - started_ms))
  write_handle "$started_ms"
  rd_fact_str engine "$RD_ENGINE"
  rd_fact_str engineVersion "$RD_ENGINE_VERSION"
  rd_fact_json startSeconds "$(jq -n --argjson ms "$elapsed_ms" '$ms / 1000')"
  rd_stage_pass "$RD_ENGINE $RD_ENGINE_VERSION sandbox is up in ${elapsed_ms} ms"
}

main "$@"
