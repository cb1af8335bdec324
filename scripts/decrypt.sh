#!/usr/bin/env bash
# Stage "decrypt": fetch the backup over SSH and verify it without storing
# the plaintext anywhere (issue 13): one stream ssh → gpg → gunzip → probes.
#
# Env (build parameters): RUN_DIR, BACKUP_HOST, BACKUP_PORT (default 22),
#      BACKUP_PATH, BACKUP_HOST_KEY (optional "type base64" public host key),
#      SSH_CREDENTIAL_ID, GPG_CREDENTIAL_ID (empty = not encrypted), REPORT_DIR;
#      BACKUP_PATTERN, BACKUP_TIME_ZONE, MAX_BACKUP_AGE_HOURS (lib/select.sh: with a
#      pattern BACKUP_PATH is a directory and its newest match is tested).
# Env (credentials-binding): SSH_KEY_FILE, SSH_USER, SSH_KEY_PASSPHRASE,
#      GPG_KEY_FILE (only in the -gpg job variant).
# Env (node configuration): RD_KNOWN_HOSTS_FILE — where first-seen host keys
#      are recorded when BACKUP_HOST_KEY is empty (default
#      ~/.ssh/restore-drill_known_hosts); a later different key is refused.
# Checks: fetch, size, SHA-256 (of the file as stored), key, GPG integrity
#      (MDC), gzip integrity, the format (first 8 KiB) and the dump tool's
#      completion marker (last 4 KiB), all while the bytes stream past.
# Output: RUN_DIR/backup/verified.json — those facts, no backup content, and the
#      file chosen (path, modifiedAt) — which restore streams the same file again against.
# Accepts plain, .gz, .gpg/.asc and .gz.gpg; the kind is read from the bytes.
# A MongoDB dump (mongodump --archive, or a tar of a dump directory) is also
#      read whole offline by scripts/mongo-read-dump.mjs (lib/mongo.sh).
if ! declare -F rd_fail >/dev/null; then
  # shellcheck source=lib/common.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
fi
if ! declare -F rd_stream_fetch >/dev/null; then
  # shellcheck source=lib/stream.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/stream.sh"
fi
if ! declare -F rd_select_backup >/dev/null; then
  # shellcheck source=lib/select.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/select.sh"
fi

# The first 8 KiB of the plaintext → "format [sqlite header fields]".
probe_format() {
  local hex text
  hex=$(od -An -v -tx1 | tr -d ' \n')
  text=$(rd_unhex "$hex" | tr -d '\000')
  case "$text" in
    "SQLite format 3"*)
      # page size (offset 16), change counter (24), page count (28), valid-for (92)
      echo "sqlite-db $((16#${hex:32:4})) $((16#${hex:56:8})) ${hex:48:8} ${hex:184:8}" ;;
    PGDMP*) echo pg-custom ;;
    *"-- MySQL dump"* | *"-- MariaDB dump"*) echo mysqldump ;;
    *"-- PostgreSQL database dump"*) echo pg-plain ;;
    "PRAGMA foreign_keys=OFF;"*"BEGIN TRANSACTION;"*) echo sqlite-dump ;;
    *) if [[ "${hex:0:8}" == 6de29981 ]]; then echo mongo-archive # mongodump --archive
       elif [[ "${hex:514:10}" == 7573746172 && "${hex:0:16}" == 746f632e64617400 ]]; then echo pg-tar # pg_dump -Ft: toc.dat first
       elif [[ "${hex:514:10}" == 7573746172 ]]; then echo mongo-tar; else echo unknown; fi ;;
  esac
}

# The last 4 KiB → which completion markers it holds.
probe_tail() {
  local tail
  tail=$(tr -d '\000')
  local mysql=false pg=false sqlite=false
  [[ "$tail" == *"-- Dump completed"* ]] && mysql=true
  [[ "$tail" == *"-- PostgreSQL database dump complete"* ]] && pg=true
  [[ "$(grep -v '^[[:space:]]*$' <<<"$tail" | tail -n 1)" == "COMMIT;" ]] && sqlite=true
  jq -n -c --argjson m "$mysql" --argjson p "$pg" --argjson s "$sqlite" '{mysqldump: $m, "pg-plain": $p, "sqlite-dump": $s}'
}

# Roles a plain pg_dump hands objects to: restore creates them first. Names only.
probe_roles() {
  { grep -aE '^(ALTER .* OWNER TO|GRANT .* TO|REVOKE .* FROM) [a-z_][a-z0-9_]*;$' || true; } |
    sed -E 's/.* ([a-z_][a-z0-9_]*);$/\1/' | sort -u | jq -R -s -c 'split("\n") | map(select(length > 0))'
}

probe_plaintext() {
  local dir="$1"
  tee -p >(head -c 8192 | probe_format | rd_put "$dir/format") >(head -c 8192 | rd_probe_dump_version | rd_put "$dir/dump-version") \
    >(tail -c 4096 | probe_tail | rd_put "$dir/tail") \
    >(probe_roles | rd_put "$dir/roles") >(rd_mongo_offline_read "$dir") | wc -c | tr -d ' ' | rd_put "$dir/payload-bytes"
}

# Contract C2: "$REPORT_DIR/dump-version.json" for deploy (which may pick an
# image by it) and the report; the same object is a decrypt fact.
record_dump_version() {
  local json report_dir
  json=$(cat -- "$1")
  rd_fact_json dumpVersion "$json"
  report_dir=$(rd_report_dir) || return 0
  mkdir -p -- "$report_dir" && rd_put "$report_dir/dump-version.json" <<<"$json"
  rd_log "dump made by $(jq -r '"\(.tool // "an unknown tool") \(.toolVersion // "")"' <<<"$json")"
}

# Plaintext or gzip: decompress when the bytes say so, then probe.
verify_plaintext() {
  local dir="$1" hex
  hex=$(rd_head_hex 64)
  if rd_hex_is_gzip "$hex"; then
    echo gzip | rd_put "$dir/compression"
    { rd_unhex "$hex"; cat; } | rd_stream_gunzip "$dir" | probe_plaintext "$dir"
  else
    echo none | rd_put "$dir/compression"
    { rd_unhex "$hex"; cat; } | probe_plaintext "$dir"
  fi
}

# The bytes as fetched: classify, decrypt when encrypted and a key is bound.
# Runs inside a pipeline: it records what it saw and never calls rd_fail.
verify_fetched() {
  local dir="$1" hex kind=plain
  set +e
  hex=$(rd_head_hex 64)
  [[ -n "$hex" ]] || kind=empty
  rd_hex_is_openpgp "$hex" && kind=openpgp
  echo "$kind" | rd_put "$dir/kind"
  if [[ "$kind" == openpgp && -n "${GPG_CREDENTIAL_ID:-}" ]]; then
    { rd_unhex "$hex"; cat; } | rd_stream_gpg "$dir" | verify_plaintext "$dir"
  elif [[ "$kind" == plain && -z "${GPG_CREDENTIAL_ID:-}" ]]; then
    { rd_unhex "$hex"; cat; } | verify_plaintext "$dir"
  else
    cat >/dev/null # refused below; read to the end so size and SHA-256 are known
  fi
}

main() {
  rd_stage_begin decrypt
  rd_resolve_run_dir
  validate_inputs
  rd_ensure_run_dir "$RD_RUN_DIR"
  RD_WORK="$RD_RUN_DIR/backup"
  rm -rf -- "$RD_WORK"
  mkdir -m 0700 -- "$RD_WORK"
  local w="$RD_WORK" started_ms
  [[ -z "${GPG_CREDENTIAL_ID:-}" ]] || rd_gpg_import_key "$w/gpg-import.err"

  started_ms=$(rd_epoch_ms)
  # The newest match of BACKUP_PATTERN (or the exact file's age): BACKUP_PATH becomes the file.
  rd_select_backup
  local selection=null
  if [[ -s "$w/selection.json" ]]; then
    selection=$(cat -- "$w/selection.json")
    rd_fact_json selection "$selection"
    require_allowed_path
  fi
  ssh_command
  rd_log "fetching and verifying $BACKUP_PATH from $BACKUP_HOST:$BACKUP_PORT (streamed, nothing stored in the clear)"
  rd_stream_fetch "$w" | verify_fetched "$w" || true # every part records its own status
  rd_await "$w/ssh.rc" "$w/sha256" "$w/bytes" "$w/kind"
  local ssh_rc bytes sha kind
  ssh_rc=$(cat -- "$w/ssh.rc")
  ((ssh_rc == 0)) || rd_fetch_fail "$ssh_rc" "$w/ssh.err"
  bytes=$(cat -- "$w/bytes")
  sha=$(cat -- "$w/sha256")
  kind=$(cat -- "$w/kind")
  rd_fact_str host "$BACKUP_HOST"
  rd_fact_json port "$((10#$BACKUP_PORT))"
  rd_fact_str path "$BACKUP_PATH"
  rd_fact_json bytes "$bytes"
  rd_fact_str sha256 "$sha"
  rd_fact_json fetchSeconds "$(jq -n --argjson ms "$(($(rd_epoch_ms) - started_ms))" '$ms / 1000')"
  ((bytes > 0)) || rd_fail FILE_EMPTY "$BACKUP_PATH on $BACKUP_HOST is empty (0 bytes)"

  local encrypted=false
  if [[ "$kind" == openpgp ]]; then
    encrypted=true
    [[ -n "${GPG_CREDENTIAL_ID:-}" ]] ||
      rd_fail ENCRYPTED_WITHOUT_KEY "the backup is GPG-encrypted but no GPG credential id was given"
    rd_await "$w/gpg.rc"
    rd_gpg_judge "$w" || rd_fail GPG_CIPHERTEXT_CORRUPT "gpg stopped before the end of the backup"
    rd_gpg_home_remove
  elif [[ -n "${GPG_CREDENTIAL_ID:-}" ]]; then
    rd_fail NOT_ENCRYPTED_BUT_KEY_GIVEN "a GPG credential was given but the backup is not GPG-encrypted"
  fi
  rd_fact_json encrypted "$encrypted"
  rd_await "$w/compression" "$w/payload-bytes" "$w/format" "$w/tail" "$w/roles" "$w/dump-version" "$w/mongo.json"
  local compression
  compression=$(cat -- "$w/compression")
  if [[ "$compression" == gzip ]]; then
    rd_await "$w/gzip.rc"
    case "$(cat -- "$w/gzip.rc")" in
      0) ;;
      1) rd_fail GZIP_CORRUPT "the gzip stream is truncated or corrupt: $(tr '\n' ' ' <"$w/gzip.err" | cut -c1-200)" ;;
      *) rd_log "gzip warning: $(cat -- "$w/gzip.err")" ;;
    esac
  fi
  rd_fact_str compression "$compression"
  local payload_bytes format
  payload_bytes=$(cat -- "$w/payload-bytes")
  read -r format _ <"$w/format"
  rd_fact_json payloadBytes "$payload_bytes"
  rd_fact_str format "$format"
  ((payload_bytes > 0)) || rd_fail FILE_EMPTY "the backup holds no data once decrypted and decompressed"
  rd_mongo_judge "$w/mongo.json"
  rd_mongo_dump_version "$w/mongo.json" "$(cat -- "$w/dump-version")" | rd_put "$w/dump-version"
  record_dump_version "$w/dump-version"
  jq -n --arg sha "$sha" --argjson bytes "$bytes" --argjson encrypted "$encrypted" --arg compression "$compression" \
    --argjson payloadBytes "$payload_bytes" --arg probe "$(cat -- "$w/format")" --argjson markers "$(cat -- "$w/tail")" \
    --argjson roles "$(cat -- "$w/roles")" --argjson dumpVersion "$(cat -- "$w/dump-version")" \
    --argjson offlineRead "$(jq -c '.offlineRead // null' <<<"$RD_FACTS")" --arg path "$BACKUP_PATH" --argjson selection "$selection" \
    '{path: $path, modifiedAt: ($selection.mtime // null), selection: $selection, sha256: $sha, bytes: $bytes, encrypted: $encrypted, compression: $compression, payloadBytes: $payloadBytes,
      probe: ($probe | split(" ")), markers: $markers, roles: $roles, dumpVersion: $dumpVersion,
      offlineRead: $offlineRead}' | rd_put "$w/verified.json"
  find "$w" -mindepth 1 ! -name verified.json -delete
  rd_stage_pass "verified $bytes bytes (encrypted: $encrypted, compression: $compression, format: $format)"
}

main "$@"
