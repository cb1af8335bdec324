#!/usr/bin/env bash
# Stage "restore": import the fetched backup into the sandbox, read every row
# of every table, then run the engine's own integrity check.
#
# The backup streams from the backup host straight into the database client
# (ssh → gpg → gunzip → mysql/psql/pg_restore/sqlite3); its plaintext is never
# written to disk (issue 13). decrypt verified the same bytes first.
#
# Env: RUN_DIR (with sandbox/handle.json from deploy and backup/verified.json
#      from decrypt), DB_TYPE (mysql|postgresql|sqlite), REPORT_DIR, and the
#      backup parameters and bindings decrypt takes (BACKUP_HOST, BACKUP_PORT,
#      BACKUP_PATH, BACKUP_HOST_KEY, SSH_CREDENTIAL_ID, GPG_CREDENTIAL_ID,
#      SSH_KEY_FILE, SSH_USER, SSH_KEY_PASSPHRASE, GPG_KEY_FILE); the data
#      checks ASSERTIONS, FRESHNESS_QUERY, FRESHNESS_MAX_AGE_HOURS (lib/data-checks.sh).
# Formats: mysqldump/mariadb-dump SQL (mysql); pg_dump plain SQL or custom
#      archive (postgresql); SQLite database file or sqlite3 .dump (sqlite).
#      A dump without its tool's completion marker is refused as truncated.
# Example: RUN_DIR=/tmp/run1 DB_TYPE=mysql BACKUP_HOST=… scripts/restore.sh
# shellcheck source=lib/common.sh
declare -F rd_fail >/dev/null || source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/stream.sh
declare -F rd_stream_fetch >/dev/null || source "$(dirname -- "${BASH_SOURCE[0]}")/lib/stream.sh"
# shellcheck source=lib/data-checks.sh
declare -F rd_data_checks >/dev/null || source "$(dirname -- "${BASH_SOURCE[0]}")/lib/data-checks.sh"

RESTORE_DB=restore_drill
SYSTEM_SCHEMAS_MYSQL="'mysql','information_schema','performance_schema','sys'"

# shellcheck disable=SC2016 # backticks are MySQL identifier quotes
bt() { printf '`%s`' "${1//\`/\`\`}"; }
dq() { printf '"%s"' "${1//\"/\"\"}"; }

# ------------------------------------------------------------ format checks
# A dump cut at a statement boundary parses cleanly; only the marker the dump
# tool writes last proves the file is whole (decrypt read the last 4 KiB).
# A truncated custom archive is caught by pg_restore while it streams.
check_complete() {
  case "$FORMAT" in
    mysqldump)
      [[ "$(verified '.markers.mysqldump')" == true ]] ||
        rd_fail DUMP_TRUNCATED "the MySQL dump is truncated: its last line is not mysqldump's '-- Dump completed' marker" ;;
    pg-plain)
      [[ "$(verified '.markers."pg-plain"')" == true ]] ||
        rd_fail DUMP_TRUNCATED "the PostgreSQL dump is truncated: pg_dump's 'dump complete' marker is missing" ;;
    sqlite-dump)
      [[ "$(verified '.markers."sqlite-dump"')" == true ]] ||
        rd_fail DUMP_TRUNCATED "the SQLite dump is truncated: it does not end with COMMIT;" ;;
    sqlite-db) check_sqlite_file_size ;;
  esac
}

# The SQLite header records page size and page count; a shorter file lost pages.
check_sqlite_file_size() {
  local size page_size pages change valid_for
  size=$(verified .payloadBytes)
  read -r _ page_size pages change valid_for < <(verified '.probe | join(" ")')
  ((page_size == 1)) && page_size=65536
  if ((size < 100 || page_size == 0 || size % page_size != 0)) || { [[ "$change" == "$valid_for" ]] && ((size < pages * page_size)); }; then
    rd_fail DUMP_TRUNCATED "the SQLite database file is truncated ($size bytes, header expects $((pages * page_size)))"
  fi
}

# ------------------------------------------------------------------ MariaDB
my() { mysql --defaults-file="$SANDBOX_DIR/client.cnf" "$@"; }

import_mysql() {
  # Re-running restore against the same sandbox starts from an empty database.
  my -e "DROP DATABASE IF EXISTS $(bt "$RESTORE_DB"); CREATE DATABASE $(bt "$RESTORE_DB")"
  if ! stream_into my --batch "$RESTORE_DB"; then
    head -n 5 -- "$RD_TMP/import.err" | sed 's/^/[mysql] /' >&2
    rd_fail IMPORT_SQL_ERROR "SQL error during import: $({ grep -m1 '^ERROR' "$RD_TMP/import.err" || head -n 1 "$RD_TMP/import.err"; } | cut -c1-300)"
  fi
}

list_tables_mysql() {
  my -N -B -e "SELECT table_schema, table_name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ($SYSTEM_SCHEMAS_MYSQL) ORDER BY 1, 2"
}

read_table_mysql() { my -N -B --quick -e "SELECT * FROM $(bt "$1").$(bt "$2")" | wc -l; }

check_integrity_mysql() {
  local list="" schema name
  while IFS=$'\t' read -r schema name _; do
    list+="${list:+, }$(bt "$schema").$(bt "$name")"
  done <"$RD_TMP/tables.tsv"
  my -N -B -e "CHECK TABLE $list EXTENDED" >"$RD_TMP/check.tsv" 2>"$RD_TMP/check.err" ||
    rd_fail INTEGRITY_UNAVAILABLE "CHECK TABLE could not run: $(head -c 200 "$RD_TMP/check.err")"
  INTEGRITY_METHOD="CHECK TABLE ... EXTENDED"
  INTEGRITY_DETAIL=$(awk -F'\t' '($3 == "error" || ($3 == "status" && $4 != "OK")) && n++ < 5 {print $1 ": " $4}' "$RD_TMP/check.tsv" | tr '\n' ';')
}

# --------------------------------------------------------------- PostgreSQL
pg() { "$PG_BIN/psql" -X -v ON_ERROR_STOP=1 "$@"; }

# decrypt listed the roles the dump hands objects to (names only).
create_roles_referenced_by() {
  local role
  verified '.roles[]' | while read -r role; do
    [[ "$role" == postgres || "$role" == public ]] && continue
    pg -q -d postgres -c "DO \$\$ BEGIN CREATE ROLE $(dq "$role"); EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" >/dev/null
  done
}

import_postgresql() {
  pg -q -d postgres -c "DROP DATABASE IF EXISTS $(dq "$RESTORE_DB") WITH (FORCE)" >/dev/null
  pg -q -d postgres -c "CREATE DATABASE $(dq "$RESTORE_DB")" >/dev/null
  if [[ "$FORMAT" == pg-plain ]]; then
    create_roles_referenced_by
    if ! stream_into pg -q -d "$RESTORE_DB" -f -; then
      head -n 5 -- "$RD_TMP/import.err" | sed 's/^/[psql] /' >&2
      local first line
      first=$({ grep -m1 -E 'ERROR|FATAL|error:' "$RD_TMP/import.err" || head -n 1 "$RD_TMP/import.err"; } | cut -c1-300)
      line=$({ grep -m1 -oE '^psql:[^:]*:[0-9]+: (ERROR|FATAL|error)' "$RD_TMP/import.err" || true; } | sed -E 's/^psql:[^:]*:([0-9]+):.*/\1/')
      rd_fail IMPORT_SQL_ERROR "SQL error during import at line ${line:-?}: ${first#psql:*: }"
    fi
  else
    if ! stream_into "$PG_BIN/pg_restore" --exit-on-error --no-owner --no-privileges -d "$RESTORE_DB"; then
      head -n 5 -- "$RD_TMP/import.err" | sed 's/^/[pg_restore] /' >&2
      ! grep -q 'unsupported version' "$RD_TMP/import.err" || rd_fail ENGINE_VERSION_MISMATCH "$(grep -m1 'unsupported version' "$RD_TMP/import.err" | cut -c1-200)"
      if grep -qE 'end of file|could not read|could not uncompress|unexpected EOF' "$RD_TMP/import.err"; then
        rd_fail DUMP_TRUNCATED "the PostgreSQL archive is truncated or corrupt: $(grep -m1 error "$RD_TMP/import.err" | cut -c1-200)"
      fi
      rd_fail IMPORT_SQL_ERROR "SQL error during import: $(grep -m1 -A1 'error' "$RD_TMP/import.err" | tr '\n' ' ' | cut -c1-300)"
    fi
  fi
}

list_tables_postgresql() {
  pg -At -F $'\t' -d "$RESTORE_DB" -c "SELECT schemaname, tablename FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
}

# COPY escapes newlines, so one output line is one row.
read_table_postgresql() { pg -At -d "$RESTORE_DB" -c "COPY (SELECT * FROM $(dq "$1").$(dq "$2")) TO STDOUT" | wc -l; }

check_integrity_postgresql() {
  INTEGRITY_METHOD="pg_amcheck --heapallindexed"
  [[ -x "$PG_BIN/pg_amcheck" ]] || rd_fail INTEGRITY_UNAVAILABLE "pg_amcheck is not installed on this node"
  local rc=0
  "$PG_BIN/pg_amcheck" --install-missing --heapallindexed -d "$RESTORE_DB" >"$RD_TMP/check.out" 2>&1 || rc=$?
  if ((rc == 1)) || grep -q 'is not available' "$RD_TMP/check.out"; then
    rd_fail INTEGRITY_UNAVAILABLE "pg_amcheck could not run: $(head -c 200 "$RD_TMP/check.out")"
  fi
  INTEGRITY_DETAIL=""
  ((rc == 0)) || INTEGRITY_DETAIL=$(head -n 5 "$RD_TMP/check.out" | tr '\n' ';')
}

# ------------------------------------------------------------------- SQLite
lite() { sqlite3 -bail "$@"; }

import_sqlite() {
  SQLITE_DB="$SANDBOX_DIR/restore.db"
  rm -f -- "$SQLITE_DB"
  if [[ "$FORMAT" == sqlite-db ]]; then
    stream_into tee -- "$SQLITE_DB" || rd_fail READ_FAILED "could not write the SQLite database into the sandbox: $(head -c 200 "$RD_TMP/import.err")"
    lite -readonly "$SQLITE_DB" 'SELECT count(*) FROM sqlite_schema' >/dev/null 2>"$RD_TMP/import.err" ||
      rd_fail INTEGRITY_FAILED "SQLite cannot open the database file: $(head -c 200 "$RD_TMP/import.err")"
  elif ! stream_into lite "$SQLITE_DB"; then
    head -n 5 -- "$RD_TMP/import.err" | sed 's/^/[sqlite3] /' >&2
    rd_fail IMPORT_SQL_ERROR "SQL error during import: $(head -n 2 "$RD_TMP/import.err" | tr '\n' ' ' | cut -c1-300)"
  fi
}

list_tables_sqlite() {
  lite -readonly -separator $'\t' "$SQLITE_DB" \
    "SELECT 'main', name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
}

# JSON mode escapes newlines, so one output line is one row.
read_table_sqlite() { lite -readonly -json "$SQLITE_DB" "SELECT * FROM $(dq "$1").$(dq "$2")" | wc -l; }

check_integrity_sqlite() {
  INTEGRITY_METHOD="PRAGMA integrity_check"
  local out
  out=$(lite -readonly "$SQLITE_DB" 'PRAGMA integrity_check' 2>&1) || true
  INTEGRITY_DETAIL=""
  [[ "$out" == ok ]] || INTEGRITY_DETAIL=$(head -n 5 <<<"$out" | tr '\n' ';')
}

# ---------------------------------------------------------------- the stage
load_sandbox() {
  SANDBOX_DIR="$RD_RUN_DIR/sandbox"
  [[ -s "$SANDBOX_DIR/handle.json" ]] ||
    rd_fail SANDBOX_NOT_RUNNING "no sandbox in $RD_RUN_DIR: the deploy stage did not complete"
  ENGINE=$(jq -r .engine "$SANDBOX_DIR/handle.json")
  ENGINE_VERSION=$(jq -r .version "$SANDBOX_DIR/handle.json")
  local pid expected
  pid=$(jq -r '.pid // empty' "$SANDBOX_DIR/handle.json")
  if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
    rd_fail SANDBOX_NOT_RUNNING "the $ENGINE sandbox server (pid $pid) is no longer running"
  fi
  case "$DB_TYPE" in mysql) expected=mariadb ;; *) expected="$DB_TYPE" ;; esac
  [[ "$ENGINE" == "$expected" ]] ||
    rd_fail SANDBOX_MISMATCH "the sandbox runs $ENGINE but the database type is $DB_TYPE"
  if [[ "$ENGINE" == postgresql ]]; then
    PG_BIN=$(jq -r .postgres.bin "$SANDBOX_DIR/handle.json")
    export PGHOST PGPORT PGUSER=postgres PGPASSFILE="$SANDBOX_DIR/pgpass"
    PGHOST=$(jq -r .postgres.host "$SANDBOX_DIR/handle.json")
    PGPORT=$(jq -r .postgres.port "$SANDBOX_DIR/handle.json")
  fi
  rd_fact_str engine "$ENGINE"
  rd_fact_str engineVersion "$ENGINE_VERSION"
  rd_fact_str dbType "$DB_TYPE"
}

main() {
  rd_stage_begin restore
  rd_resolve_run_dir
  rd_require_db_type "${DB_TYPE:-}"
  [[ -d "$RD_RUN_DIR" ]] || rd_fail SANDBOX_NOT_RUNNING "run directory $RD_RUN_DIR does not exist: deploy did not run"
  load_sandbox
  [[ -s "$RD_RUN_DIR/backup/verified.json" ]] ||
    rd_fail BACKUP_NOT_FETCHED "no verified backup in $RD_RUN_DIR: the decrypt stage did not complete"
  # The file decrypt chose and verified (the newest match of a pattern), not a newer one since.
  local chosen
  chosen=$(jq -r '.path // empty' "$RD_RUN_DIR/backup/verified.json")
  [[ -z "$chosen" ]] || BACKUP_PATH="$chosen"
  validate_inputs
  RD_TMP="$RD_RUN_DIR/restore-tmp"
  rm -rf -- "$RD_TMP"
  mkdir -m 0700 -- "$RD_TMP"

  FORMAT=$(verified '.probe[0]')
  ENCRYPTED=$(verified .encrypted)
  COMPRESSION=$(verified .compression)
  rd_fact_str format "$FORMAT"
  local family
  family=$(family_of "$FORMAT")
  if [[ "$family" == unknown ]]; then
    rd_fail FORMAT_UNRECOGNIZED "the backup is not a mysqldump, pg_dump or SQLite file the $DB_TYPE restore understands"
  elif [[ "$family" != "$DB_TYPE" ]]; then
    rd_fail DB_TYPE_MISMATCH "the database type is $DB_TYPE but the backup is $(describe_format "$FORMAT")"
  elif [[ "$FORMAT" == pg-tar ]]; then
    rd_fail FORMAT_UNRECOGNIZED "PostgreSQL tar archives are not supported; use pg_dump -Fp or -Fc"
  fi
  check_complete
  [[ "$DB_TYPE" != mongodb || -s "$RD_RUN_DIR/sandbox/container" ]] || rd_mongo_local_deploy
  rd_check_engine_version "$(verified '.dumpVersion // {}')"
  RD_WORK="$RD_TMP" # ssh_command's known_hosts and askpass
  ssh_command
  [[ "$ENCRYPTED" != true ]] || rd_gpg_import_key "$RD_TMP/gpg-import.err"

  local kind="$DB_TYPE" phase_ms
  phase_ms=$(rd_epoch_ms)
  "import_$kind"
  rd_fact_json importSeconds "$(jq -n --argjson ms "$(($(rd_epoch_ms) - phase_ms))" '$ms / 1000')"
  phase_ms=$(rd_epoch_ms)
  "list_tables_$kind" >"$RD_TMP/tables.list" 2>"$RD_TMP/list.err" ||
    rd_fail READ_FAILED "could not list the restored tables: $(head -c 200 "$RD_TMP/list.err")"
  [[ -s "$RD_TMP/tables.list" ]] || rd_fail ZERO_TABLES "the backup restored without error but contains zero tables"

  local schema name rows total=0
  : >"$RD_TMP/tables.tsv"
  while IFS=$'\t' read -r schema name; do
    rows=$("read_table_$kind" "$schema" "$name" 2>"$RD_TMP/read.err") ||
      rd_fail READ_FAILED "reading every row of $schema.$name failed: $(head -c 200 "$RD_TMP/read.err")"
    rows=$((rows + 0))
    total=$((total + rows))
    printf '%s\t%s\t%s\n' "$schema" "$name" "$rows" >>"$RD_TMP/tables.tsv"
  done <"$RD_TMP/tables.list"
  rd_fact_json tables "$(jq -R -s -c 'split("\n") | map(select(length > 0) | split("\t")
    | {schema: .[0], name: .[1], rows: (.[2] | tonumber)})' "$RD_TMP/tables.tsv")"
  rd_fact_json totalRows "$total"
  local ntables
  ntables=$(wc -l <"$RD_TMP/tables.tsv")
  rd_log "read $total rows from $ntables tables"

  rd_fact_json readSeconds "$(jq -n --argjson ms "$(($(rd_epoch_ms) - phase_ms))" '$ms / 1000')"
  phase_ms=$(rd_epoch_ms)
  INTEGRITY_DETAIL=""
  "check_integrity_$kind"
  rd_fact_json integritySeconds "$(jq -n --argjson ms "$(($(rd_epoch_ms) - phase_ms))" '$ms / 1000')"
  local result=ok
  [[ -z "$INTEGRITY_DETAIL" ]] || result=failed
  rd_fact_json integrity "$(jq -n -c --arg m "$INTEGRITY_METHOD" --arg r "$result" --arg d "$INTEGRITY_DETAIL" \
    '{method: $m, result: $r, detail: (if $d == "" then null else $d end)}')"
  [[ "$result" == ok ]] || rd_fail INTEGRITY_FAILED "the integrity check ($INTEGRITY_METHOD) reported problems: $INTEGRITY_DETAIL"
  rd_data_checks "$kind"
  rm -rf -- "$RD_TMP"
  rd_stage_pass "restored $ntables tables, read all $total rows, integrity ok"
}

main "$@"
