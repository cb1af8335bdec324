#!/usr/bin/env bash
# Data checks (issue 14 items 2 and 3), sourced by pipeline-start.sh (validate)
# and restore.sh (run in the sandbox after the restore and integrity check):
#   ASSERTIONS               "orders >= 1000, customers" → ASSERTION_FAILED
#   FRESHNESS_QUERY          one read-only SELECT returning a timestamp
#   FRESHNESS_MAX_AGE_HOURS  how far before the backup's time it may lie → DATA_STALE
# The rules are lib/pipeline/data-checks.ts's, applied again because a build
# started by hand in Jenkins never passed the portal's form. The query is run
# as a reader without write rights, read-only, with a statement timeout; it is
# passed to the database client as an argument, never to a shell.
# Needs common.sh; restore.sh provides my/pg/lite, RESTORE_DB, SANDBOX_DIR,
# SQLITE_DB, PG_BIN, RD_TMP and RD_RUN_DIR.

RD_FRESHNESS_TIMEOUT_SECONDS=30
RD_ASSERTION_RE='^([A-Za-z_][A-Za-z0-9_]*)(\.([A-Za-z_][A-Za-z0-9_]*))?([[:space:]]*(>=|>|=)[[:space:]]*([0-9]{1,12}))?$'
RD_FORBIDDEN_SQL_WORDS='INSERT|UPDATE|DELETE|MERGE|UPSERT|DROP|ALTER|CREATE|TRUNCATE|GRANT|REVOKE|INTO|LOCK|CALL|EXEC|EXECUTE|COPY|ATTACH|DETACH|PRAGMA|VACUUM|SET|LOAD|OUTFILE|DUMPFILE'

# The query on one line: white space folded, one trailing ";" dropped.
rd_fold_query() {
  local q
  q=$(printf '%s' "$1" | tr -s '[:space:]' ' ')
  q="${q#"${q%%[! ]*}"}"
  q="${q%"${q##*[! ]}"}"
  [[ "$q" != *";" ]] || q="${q%;}"
  printf '%s' "${q%"${q##*[! ]}"}"
}

# Prints why a folded query is refused (nothing when it is one plain SELECT).
rd_freshness_query_problem() {
  local q="$1" outside word
  [[ -n "$q" ]] || return 0
  if ((${#q} > 2000)); then echo "it is longer than 2000 characters"
  elif [[ "$q" =~ [[:cntrl:]] ]]; then echo "it contains control characters"
  elif [[ "$q" == *";"* ]]; then echo "it holds more than one statement (;)"
  elif [[ "$q" == *"--"* || "$q" == *"/*"* || "$q" == *"*/"* || "$q" == *"#"* ]]; then echo "comments are not allowed"
  elif [[ "$q" == *[\\\$\`{}]* ]]; then echo "it may not contain \\ \$ \` { or }"
  elif ! [[ "$q" =~ ^[Ss][Ee][Ll][Ee][Cc][Tt][[:space:]] ]]; then echo "it must be one SELECT"
  else
    # shellcheck disable=SC2001 # ${//} has no "shortest quoted run"
    outside=$(sed "s/'[^']*'/ 0 /g" <<<"$q")
    if [[ "$outside" == *"'"* ]]; then echo "it has an unclosed ' quote"
    elif word=$(grep -oiwE -m1 "$RD_FORBIDDEN_SQL_WORDS" <<<"$outside" | head -n 1) && [[ -n "$word" ]]; then
      echo "only a read-only SELECT is allowed, not $word"
    fi
  fi
}

# The assertions one per line: items split at commas and newlines, trimmed.
rd_assertion_items() { tr ',\r' '\n' <<<"$1" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | grep -v '^$' || true; }

# Args: ASSERTIONS, FRESHNESS_QUERY and FRESHNESS_MAX_AGE_HOURS values.
rd_require_data_checks() {
  local item n=0 problem assertions="$1" query="$2" hours="$3"
  ((${#assertions} <= 2000)) || rd_fail INVALID_ASSERTIONS "the assertions are longer than 2000 characters"
  while IFS= read -r item; do
    n=$((n + 1))
    [[ "$item" =~ $RD_ASSERTION_RE ]] ||
      rd_fail INVALID_ASSERTIONS "assertion $(rd_q "${item:0:60}") is not 'table' or 'table >= N' (also > N, = N)"
  done < <(rd_assertion_items "$assertions")
  ((n <= 50)) || rd_fail INVALID_ASSERTIONS "at most 50 assertions ($n given)"
  problem=$(rd_freshness_query_problem "$(rd_fold_query "$query")")
  [[ -z "$problem" ]] || rd_fail INVALID_FRESHNESS_QUERY "the freshness query is refused: $problem"
  if ! [[ "$hours" =~ ^[0-9]{1,4}$ ]] || ((10#$hours < 1 || 10#$hours > 8784)); then
    rd_fail INVALID_FRESHNESS_MAX_AGE "FRESHNESS_MAX_AGE_HOURS $(rd_q "$hours") must be whole hours from 1 to 8784"
  fi
}

# ---------------------------------------------------------------- assertions
# Evaluates every assertion against the row counts restore read
# ($RD_TMP/tables.tsv: schema, name, rows); table names match without regard
# to case, a name without schema matches any schema. Sets RD_ASSERTIONS_FAILED.
rd_check_assertions() {
  local item schema name op want seen ok results="$RD_TMP/assertions.jsonl"
  RD_ASSERTIONS_FAILED=""
  : >"$results"
  while IFS= read -r item; do
    [[ "$item" =~ $RD_ASSERTION_RE ]] || continue
    if [[ -n "${BASH_REMATCH[3]}" ]]; then schema="${BASH_REMATCH[1]}" name="${BASH_REMATCH[3]}"; else schema="" name="${BASH_REMATCH[1]}"; fi
    op="${BASH_REMATCH[5]}" want="${BASH_REMATCH[6]}"
    seen=$(awk -F'\t' -v s="$schema" -v n="$name" 'tolower($2) == tolower(n) && (s == "" || tolower($1) == tolower(s)) { print $3; exit }' "$RD_TMP/tables.tsv")
    ok=true
    if [[ -z "$seen" ]]; then ok=false
    elif [[ -n "$op" ]]; then
      want=$((10#$want))
      case "$op" in
        ">=") ((seen >= want)) || ok=false ;;
        ">") ((seen > want)) || ok=false ;;
        "=") ((seen == want)) || ok=false ;;
      esac
    fi
    item="${schema:+$schema.}$name${op:+ $op $want}"
    jq -n -c --arg a "$item" --arg seen "$seen" --argjson passed "$ok" \
      '{assertion: $a, rows: (if $seen == "" then null else ($seen | tonumber) end), exists: ($seen != ""), passed: $passed}' >>"$results"
    [[ "$ok" == true ]] ||
      RD_ASSERTIONS_FAILED+="${RD_ASSERTIONS_FAILED:+; }$item ($([[ -z "$seen" ]] && echo "no such table" || echo "$seen rows"))"
  done < <(rd_assertion_items "${ASSERTIONS:-}")
  rd_fact_json assertions "$(jq -s -c . "$results")"
}

# ----------------------------------------------------------------- freshness
# THE one place that says what "the backup's time" is. Until the decrypt stage
# records the chosen file's modification time (engineer "select", issue 14
# item 1: verified.json .modifiedAt), it is when decrypt fetched the backup:
# the time verified.json was written.
rd_backup_time() {
  local modified
  modified=$(jq -r '.modifiedAt // empty' "$RD_RUN_DIR/backup/verified.json")
  if [[ -n "$modified" ]] && date -u -d "$modified" +%s >/dev/null 2>&1; then
    printf 'modified %s\n' "$(date -u -d "$modified" +%s)"
  else
    printf 'fetched %s\n' "$(stat -c %Y -- "$RD_RUN_DIR/backup/verified.json")"
  fi
}

# Epoch seconds of a value the query returned: a Unix time (s or ms) or an
# ISO-like date-time (no zone = UTC); nothing when it is neither.
rd_epoch_of() {
  local v="$1"
  if [[ "$v" =~ ^[0-9]{1,11}(\.[0-9]+)?$ ]]; then echo "${v%%.*}"
  elif [[ "$v" =~ ^[0-9]{12,14}(\.[0-9]+)?$ ]]; then echo "$((${v%%.*} / 1000))"
  elif [[ "$v" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}([T\ ][0-9:.]+)?(Z|[+-][0-9:]+)?$ ]]; then TZ=UTC date -d "$v" +%s 2>/dev/null || true
  fi
}

fresh_mysql() {
  local pw host
  pw=$(rd_hex_secret)
  for host in localhost 127.0.0.1 %; do
    my -e "CREATE OR REPLACE USER 'rd_reader'@'$host' IDENTIFIED BY '$pw';
      GRANT SELECT, SHOW VIEW ON $(bt "$RESTORE_DB").* TO 'rd_reader'@'$host'"
  done
  (umask 077 && sed -e '/^user=/d' -e '/^password=/d' "$SANDBOX_DIR/client.cnf" >"$RD_TMP/reader.cnf" &&
    printf 'user=rd_reader\npassword=%s\n' "$pw" >>"$RD_TMP/reader.cnf")
  timeout "$((RD_FRESHNESS_TIMEOUT_SECONDS + 10))" mysql --defaults-file="$RD_TMP/reader.cnf" -N -B -e \
    "SET SESSION time_zone = '+00:00'; SET SESSION max_statement_time = $RD_FRESHNESS_TIMEOUT_SECONDS;
     START TRANSACTION READ ONLY; $1; ROLLBACK" "$RESTORE_DB"
}

fresh_postgresql() {
  local pw
  pw=$(rd_hex_secret)
  pg -q -d "$RESTORE_DB" -c "DROP ROLE IF EXISTS rd_reader" -c "CREATE ROLE rd_reader LOGIN PASSWORD '$pw' IN ROLE pg_read_all_data" >/dev/null
  (umask 077 && printf '%s:%s:*:rd_reader:%s\n' "$PGHOST" "$PGPORT" "$pw" >"$RD_TMP/reader.pgpass")
  PGUSER=rd_reader PGPASSFILE="$RD_TMP/reader.pgpass" \
    PGOPTIONS="-c default_transaction_read_only=on -c statement_timeout=${RD_FRESHNESS_TIMEOUT_SECONDS}s -c TimeZone=UTC" \
    timeout "$((RD_FRESHNESS_TIMEOUT_SECONDS + 10))" "$PG_BIN/psql" -X -At -F $'\t' -v ON_ERROR_STOP=1 -d "$RESTORE_DB" -c "$1"
}

# -readonly opens the file read-only; -safe refuses ATTACH, writefile(), extensions.
fresh_sqlite() {
  timeout "$RD_FRESHNESS_TIMEOUT_SECONDS" sqlite3 -readonly -safe -bail -noheader -list -separator $'\t' "$SQLITE_DB" "$1"
}

# Runs the freshness query; sets RD_DATA_STALE to a sentence when the data is too old.
rd_check_freshness() {
  local kind="$1" q rc=0 raw value="" at source backup_at limit age=""
  RD_DATA_STALE=""
  q=$(rd_fold_query "${FRESHNESS_QUERY:-}")
  [[ -n "$q" ]] || return 0
  limit=$((10#${FRESHNESS_MAX_AGE_HOURS:-26} * 3600))
  read -r source backup_at < <(rd_backup_time)
  "fresh_$kind" "$q" >"$RD_TMP/fresh.out" 2>"$RD_TMP/fresh.err" || rc=$?
  if ((rc == 124)) || grep -qiE 'statement timeout|max_statement_time|interrupted' "$RD_TMP/fresh.err"; then
    rd_fail FRESHNESS_QUERY_FAILED "the freshness query did not finish within ${RD_FRESHNESS_TIMEOUT_SECONDS} s"
  elif ((rc != 0)); then
    rd_fail FRESHNESS_QUERY_FAILED "the freshness query failed: $(grep -v '^$' "$RD_TMP/fresh.err" | head -n 2 | tr '\n' ' ' | cut -c1-300)"
  fi
  raw=$(head -n 1 "$RD_TMP/fresh.out" | cut -f1)
  [[ "$raw" != NULL ]] || raw=""
  if [[ -n "$raw" ]]; then
    at=$(rd_epoch_of "$raw")
    [[ -n "$at" ]] || rd_fail FRESHNESS_QUERY_FAILED "the freshness query returned $(rd_q "${raw:0:80}"), not a timestamp"
    value=$(date -u -d "@$at" +%Y-%m-%dT%H:%M:%SZ)
    age=$((backup_at - at))
  fi
  rd_fact_json freshness "$(jq -n -c --arg q "$q" --arg raw "$raw" --arg v "${value:-}" --argjson age "${age:-null}" \
    --argjson limit "$limit" --arg src "$source" --arg bt "$(date -u -d "@$backup_at" +%Y-%m-%dT%H:%M:%SZ)" \
    '{query: $q, value: (if $raw == "" then null else $raw end), valueAt: (if $v == "" then null else $v end),
      backupTime: $bt, backupTimeSource: $src, ageSeconds: $age, limitSeconds: $limit,
      result: (if $age == null or $age > $limit then "stale" else "ok" end)}')"
  if [[ -z "$raw" ]]; then
    RD_DATA_STALE="the freshness query returned no value (no row or NULL): the data it reads is empty"
  elif ((age > limit)); then
    RD_DATA_STALE="the newest data ($value) is $(rd_hours "$age") older than the backup's time ($source $(date -u -d "@$backup_at" +%Y-%m-%dT%H:%M:%SZ)); the limit is $(rd_hours "$limit")"
  fi
}

rd_hours() { awk -v s="$1" 'BEGIN { h = s / 3600; if (h >= 48) printf "%.1f days", h / 24; else printf "%.1f h", h }'; }

# Both checks, then one verdict: ASSERTION_FAILED lists every failed assertion
# (and says if the data is stale too); DATA_STALE otherwise.
rd_data_checks() {
  rd_require_data_checks "${ASSERTIONS:-}" "${FRESHNESS_QUERY:-}" "${FRESHNESS_MAX_AGE_HOURS:-26}"
  rd_check_assertions
  rd_check_freshness "$1"
  if [[ -n "$RD_ASSERTIONS_FAILED" ]]; then
    rd_fail ASSERTION_FAILED "failed assertions: $RD_ASSERTIONS_FAILED${RD_DATA_STALE:+; also stale: $RD_DATA_STALE}"
  fi
  [[ -z "$RD_DATA_STALE" ]] || rd_fail DATA_STALE "$RD_DATA_STALE"
}
