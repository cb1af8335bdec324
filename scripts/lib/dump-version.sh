# shellcheck shell=bash
# Which tool and version made the dump (issue 14 item 4, contract C2), read
# from the head of the decrypted stream, and the check that the sandbox engine
# is new enough to read it. Sourced by stream.sh (decrypt and restore).

# Little-endian unsigned integer of the hex bytes at a hex-char offset.
_rd_le_int() {
  local hex="$1" at="$2" n="$3" i v=0
  for ((i = n - 1; i >= 0; i--)); do v=$((v * 256 + 16#${hex:at + 2 * i:2})); done
  echo "$v"
}

# pg_dump custom archive header (pg_backup_archiver.c ReadHead): "PGDMP",
# vmaj vmin vrev, intSize, offSize, format, compression (a byte from K_VERS
# 1.15, an int before), 7 ints of creation time, then the strings dbname,
# server version and pg_dump version. An int is a sign byte + intSize bytes.
# Prints "archiveVersion dumpVersion" (dumpVersion "-" when unreadable).
_rd_pg_custom_versions() {
  local hex="$1" p=10 vmaj vmin vrev isz i len s="" strs=()
  vmaj=$((16#${hex:10:2})) vmin=$((16#${hex:12:2})) vrev=$((16#${hex:14:2}))
  isz=$((16#${hex:16:2}))
  p=$((22))
  if ((vmaj > 1 || (vmaj == 1 && vmin >= 15))); then p=$((p + 2)); else p=$((p + 2 + 2 * isz)); fi
  p=$((p + 7 * (2 + 2 * isz)))
  ((isz >= 1 && isz <= 8)) || { echo "$vmaj.$vmin -"; return; }
  for i in 1 2 3; do
    ((p + 2 + 2 * isz <= ${#hex})) || break
    len=$(_rd_le_int "$hex" $((p + 2)) "$isz")
    [[ "${hex:p:2}" == 00 ]] || len=-1 # a negative length is a NULL string
    p=$((p + 2 + 2 * isz))
    if ((len < 0)); then strs+=("-"); continue; fi
    ((len <= 256 && p + 2 * len <= ${#hex})) || break
    # "17.2 (Debian 17.2-1)" → "17.2"
    s=$(rd_unhex "${hex:p:2*len}" | tr -d '\000' | grep -m1 -oE '^[0-9]+(\.[0-9]+)*' || true)
    strs+=("${s:--}")
    p=$((p + 2 * len))
  done
  : "$vrev"
  echo "$vmaj.$vmin ${strs[2]:--}"
}

# stdin: the first 8 KiB of the plaintext → one JSON object
# {engine, tool, toolVersion, major, archiveVersion}; null where unknown.
rd_probe_dump_version() {
  local hex text engine="" tool="" version="" archive="" line
  hex=$(od -An -v -tx1 | tr -d ' \n')
  text=$(rd_unhex "$hex" | tr -d '\000' | head -c 8192 | tr -c '[:print:]\n\t' '?')
  if [[ "${hex:0:10}" == 5047444d50 ]]; then # "PGDMP"
    engine=postgresql tool=pg_dump
    read -r archive version < <(_rd_pg_custom_versions "$hex")
    [[ "$version" != - ]] || version=""
  elif [[ "${hex:0:8}" == 6de29981 ]]; then # mongodump --archive magic 0x8199e26d (little-endian)
    engine=mongodb tool=mongodump
  elif [[ "$text" == "SQLite format 3"* ]]; then
    # offset 96: SQLITE_VERSION_NUMBER of the library that last wrote the file
    local n=$((16#${hex:192:8}))
    engine=sqlite tool=sqlite3
    if ((n > 0)); then version="$((n / 1000000)).$((n / 1000 % 1000)).$((n % 1000))"; fi
  elif line=$(grep -m1 -E '^-- (MySQL|MariaDB) dump' <<<"$text"); then
    engine=mysql tool=mysqldump
    if [[ "$line" == *MariaDB* || "$text" == *"Distrib "*"-MariaDB"* ]]; then engine=mariadb tool=mariadb-dump; fi
    version=$(grep -m1 -oE 'Distrib [0-9]+(\.[0-9]+)*' <<<"$text" | cut -d' ' -f2 || true)
  elif [[ "$text" == *"-- PostgreSQL database dump"* ]]; then
    engine=postgresql tool=pg_dump
    version=$(grep -m1 -oE '^-- Dumped by pg_dump version [0-9]+(\.[0-9]+)*' <<<"$text" | awk '{print $NF}' || true)
  elif [[ "$text" == "PRAGMA foreign_keys=OFF;"* ]]; then
    engine=sqlite tool=sqlite3
  fi
  jq -n -c --arg e "$engine" --arg t "$tool" --arg v "$version" --arg a "$archive" '
    def n: if . == "" then null else . end;
    {engine: ($e | n), tool: ($t | n), toolVersion: ($v | n),
     major: ($v | n | if . == null then null else (split(".")[0]) end), archiveVersion: ($a | n)}'
}

# The custom-archive version a PostgreSQL major's pg_restore reads at most.
_rd_pg_max_archive() {
  local major="$1"
  if ((major <= 15)); then echo 1.14; elif ((major == 16)); then echo 1.15; else echo 1.16; fi
}

# restore, before import: a dump made by a newer engine than the sandbox's
# is could-not-verify ENGINE_VERSION_MISMATCH, never "truncated or corrupt".
# $1: the dump-version JSON. Asks the sandbox (restore's pg function) its version.
rd_check_engine_version() {
  local dv="$1" sandbox engine tool version major archive smajor max
  engine=$(jq -r '.engine // ""' <<<"$dv")
  [[ "$engine" == postgresql ]] || return 0
  sandbox=$(pg -At -d postgres -c 'SHOW server_version' | cut -d' ' -f1)
  tool=$(jq -r '.tool // ""' <<<"$dv")
  version=$(jq -r '.toolVersion // ""' <<<"$dv")
  major=$(jq -r '.major // ""' <<<"$dv")
  archive=$(jq -r '.archiveVersion // ""' <<<"$dv")
  smajor=${sandbox%%.*}
  [[ "$smajor" =~ ^[0-9]+$ ]] || return 0
  max=$(_rd_pg_max_archive "$smajor")
  local made="made by $tool ${version:-?}"
  [[ -z "$archive" ]] || made+=" (archive format $archive)"
  if [[ "$major" =~ ^[0-9]+$ ]] && ((major > smajor)); then
    rd_fail ENGINE_VERSION_MISMATCH "$made; this sandbox runs PostgreSQL $sandbox, too old to read it"
  fi
  if [[ -n "$archive" ]] && [[ "$(printf '%s\n%s\n' "$archive" "$max" | sort -V | tail -n 1)" != "$max" ]]; then
    rd_fail ENGINE_VERSION_MISMATCH "$made; this sandbox runs PostgreSQL $sandbox, whose pg_restore reads archives up to $max"
  fi
}

# The probe's format (decrypt's probe_format) → the DB_TYPE that restores it, and in words.
family_of() {
  case "$1" in
    mysqldump) echo mysql ;;
    pg-plain | pg-custom | pg-tar) echo postgresql ;;
    sqlite-db | sqlite-dump) echo sqlite ;;
    mongo-archive | mongo-tar) echo mongodb ;;
    *) echo unknown ;;
  esac
}

describe_format() {
  case "$1" in
    mysqldump) echo "a MySQL/MariaDB dump" ;;
    pg-plain) echo "a PostgreSQL plain SQL dump" ;;
    pg-custom) echo "a PostgreSQL custom-format archive" ;;
    pg-tar) echo "a PostgreSQL tar archive" ;;
    sqlite-db) echo "an SQLite database file" ;;
    sqlite-dump) echo "an SQLite SQL dump" ;;
    mongo-archive) echo "a mongodump archive" ;;
    mongo-tar) echo "a tar of a mongodump directory" ;;
    *) echo "an unrecognised file" ;;
  esac
}
