#!/usr/bin/env bash
# Restore Drill backup streaming, shared by decrypt and restore: the backup is
# read over SSH as a stream and never stored in the clear (issue 13). decrypt
# streams it once to verify it (SHA-256, size, GPG integrity, gzip, a format
# probe of the head, the completion marker in the tail) and keeps only those
# facts; restore streams it again, straight into the database client.
#
# Every command of a stream pipeline records its own exit status (and gpg its
# --status-fd lines) in a file, so a wrong key, a corrupt or truncated file,
# a changed backup and an SQL error keep their own reason codes.
# In Jenkins this file follows common.sh in the decrypt and restore jobs.

# The directories the SSH key may read (the portal's list for the key, ALLOWED_PATH_PREFIXES:
# space-separated, each ending in /), checked again here before connecting. Portal runs and
# schedule jobs carry it; a value that is no directory ("none") admits nothing. Unset or empty:
# a build someone started by hand in Jenkins.
require_allowed_path() {
  [[ -n "${ALLOWED_PATH_PREFIXES:-}" ]] || return 0
  local prefix path="$BACKUP_PATH"
  local -a prefixes
  # With a pattern BACKUP_PATH is a directory: the files in it are what the key reads.
  [[ -z "${BACKUP_PATTERN:-}" ]] || path="${BACKUP_PATH%/}/"
  read -r -a prefixes <<<"$ALLOWED_PATH_PREFIXES"
  for prefix in "${prefixes[@]}"; do
    { [[ "$prefix" == / ]] || rd_valid_remote_path "$prefix"; } && [[ "$prefix" == */ && "$path" == "$prefix"* ]] && return 0
  done
  rd_fail PATH_NOT_ALLOWED "backup path $(rd_q "$BACKUP_PATH") is outside the directories the SSH key may read"
}

validate_inputs() {
  BACKUP_PORT="${BACKUP_PORT:-22}"
  rd_require_host "${BACKUP_HOST:-}"
  rd_require_port "$BACKUP_PORT"
  rd_require_remote_path "${BACKUP_PATH:-}"
  require_allowed_path
  rd_require_credential_id "SSH credential id" "${SSH_CREDENTIAL_ID:-}"
  if [[ -n "${GPG_CREDENTIAL_ID:-}" ]]; then
    rd_require_credential_id "GPG credential id" "$GPG_CREDENTIAL_ID"
  fi
  rd_valid_host_key "${BACKUP_HOST_KEY:-}" ||
    rd_fail INVALID_HOST_KEY "backup host key must look like 'ssh-ed25519 AAAA…' (key type and base64 only)"
  [[ -n "${SSH_KEY_FILE:-}" && -r "$SSH_KEY_FILE" ]] ||
    rd_fail CREDENTIAL_NOT_BOUND "no SSH private key is bound (SSH_KEY_FILE); check credential ${SSH_CREDENTIAL_ID:-}"
  [[ "${SSH_USER:-}" =~ ^[A-Za-z_][A-Za-z0-9._-]{0,63}$ ]] ||
    rd_fail CREDENTIAL_NOT_BOUND "the SSH credential binds no valid user name (SSH_USER)"
  if [[ -n "${GPG_CREDENTIAL_ID:-}" ]] && [[ -z "${GPG_KEY_FILE:-}" || ! -r "${GPG_KEY_FILE:-}" ]]; then
    rd_fail GPG_KEY_NOT_BOUND "a GPG credential id was given but this job binds no GPG key; run the -gpg pipeline variant"
  fi
}

ssh_command() {
  local opts=(-F /dev/null -o IdentitiesOnly=yes -o IdentityAgent=none -o GlobalKnownHostsFile=/dev/null
    -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o NumberOfPasswordPrompts=1
    -o ConnectTimeout=10 -o ServerAliveInterval=15 -o ServerAliveCountMax=4 -o LogLevel=ERROR
    -i "$SSH_KEY_FILE" -p "$BACKUP_PORT" -l "$SSH_USER")
  if [[ -n "${BACKUP_HOST_KEY:-}" ]]; then
    local pattern="$BACKUP_HOST"
    [[ "$BACKUP_PORT" == 22 ]] || pattern="[$BACKUP_HOST]:$BACKUP_PORT"
    printf '%s %s\n' "$pattern" "$BACKUP_HOST_KEY" >"$RD_WORK/known_hosts"
    opts+=(-o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$RD_WORK/known_hosts")
  else
    local tofu="${RD_KNOWN_HOSTS_FILE:-${HOME:-/nonexistent}/.ssh/restore-drill_known_hosts}"
    mkdir -p -- "$(dirname -- "$tofu")"
    opts+=(-o StrictHostKeyChecking=accept-new -o "UserKnownHostsFile=$tofu")
  fi
  if [[ -n "${SSH_KEY_PASSPHRASE:-}" ]]; then
    # The helper prints the passphrase from the environment; it never holds it.
    # shellcheck disable=SC2016 # $SSH_KEY_PASSPHRASE is expanded by the helper at run time
    printf '#!/bin/sh\nprintf "%%s\\n" "$SSH_KEY_PASSPHRASE"\n' >"$RD_WORK/askpass"
    chmod 0700 "$RD_WORK/askpass"
    export SSH_ASKPASS="$RD_WORK/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY="${DISPLAY:-:0}"
  else
    opts+=(-o BatchMode=yes)
  fi
  # The remote login shell parses the command; the path is validated to a
  # quote-free character set and single-quoted anyway.
  local quoted="'${BACKUP_PATH//\'/\'\\\'\'}'"
  SSH_ARGV=(ssh "${opts[@]}" -- "$BACKUP_HOST" "cat -- $quoted")
}

# After a failed fetch: the reason code from ssh's exit status and message.
rd_fetch_fail() {
  local rc="$1" err="$2" msg
  sed 's/^/[ssh] /' "$err" >&2 || true
  msg=$(tr '\n' ' ' <"$err" | cut -c1-300)
  if ((rc == 255)); then
    case "$msg" in
      *"Host key verification failed"* | *"IDENTIFICATION HAS CHANGED"* | *"host key is known"*)
        rd_fail HOST_KEY_MISMATCH "the host key of $BACKUP_HOST:$BACKUP_PORT does not match the expected key; refusing to connect" ;;
      *"Permission denied"* | *"Too many authentication failures"*)
        rd_fail SSH_AUTH_REFUSED "$BACKUP_HOST refused SSH authentication for user $SSH_USER with the bound key" ;;
      *"Connection refused"* | *"timed out"* | *"No route to host"* | *"Could not resolve"* | *"Network is unreachable"* | *"Name or service not known"*)
        rd_fail HOST_UNREACHABLE "backup host $BACKUP_HOST:$BACKUP_PORT is unreachable: $msg" ;;
    esac
    rd_fail FETCH_FAILED "SSH to $BACKUP_HOST:$BACKUP_PORT failed: $msg"
  fi
  case "$msg" in
    *"No such file"*) rd_fail FILE_MISSING "No such file: $BACKUP_PATH does not exist on $BACKUP_HOST" ;;
  esac
  rd_fail FILE_UNREADABLE "could not read $BACKUP_PATH on $BACKUP_HOST: $msg"
}

# ------------------------------------------------------------- stream parts
# Write stdin to a file atomically (a result appears whole or not at all).
rd_put() { cat >"$1.tmp" && mv -f -- "$1.tmp" "$1"; }

# Process substitutions finish after the pipeline that feeds them: wait for
# their result files (they are small; a missing one after 60 s is an error).
rd_await() {
  local f deadline=$((SECONDS + 60))
  for f in "$@"; do
    until [[ -e "$f" ]]; do
      ((SECONDS < deadline)) || rd_fail STAGE_ERROR "a stream check did not finish ($(basename -- "$f"))"
      sleep 0.02
    done
  done
}

# Hex of the next N bytes of stdin (reads exactly N: GNU head -c on a pipe).
rd_head_hex() { head -c "$1" | od -An -v -tx1 | tr -d ' \n'; }
# Bytes back from hex (NULs included).
# shellcheck disable=SC2001 # one \xHH escape per byte pair
rd_unhex() { [[ -z "$1" ]] || printf '%b' "$(sed 's/../\\x&/g' <<<"$1")"; }

rd_hex_is_gzip() { [[ "${1:0:4}" == 1f8b ]]; }

# OpenPGP message: ASCII armor, or a binary packet whose tag is 1 (public-key
# encrypted session key) or 3 (symmetric session key).
rd_hex_is_openpgp() {
  [[ "${1:0:54}" == "2d2d2d2d2d424547494e20504750204d4553534147452d2d2d2d2d" ]] && return 0
  [[ -n "${1:0:2}" ]] || return 1
  local byte=$((16#${1:0:2})) tag
  ((byte & 0x80)) || return 1
  if ((byte & 0x40)); then tag=$((byte & 0x3f)); else tag=$(((byte >> 2) & 0x0f)); fi
  ((tag == 1 || tag == 3))
}

# stdin → stdout through ssh, recording ssh's status and the SHA-256 and size
# of the bytes as stored on the backup host. Args: result directory.
rd_stream_fetch() {
  local dir="$1"
  local -a fetch_status
  set +e
  "${SSH_ARGV[@]}" </dev/null 2>"$dir/ssh.err" |
    tee -p >(sha256sum | cut -c1-64 | rd_put "$dir/sha256") >(wc -c | tr -d ' ' | rd_put "$dir/bytes")
  fetch_status=("${PIPESTATUS[@]}")
  printf '%s\n' "${fetch_status[0]}" | rd_put "$dir/ssh.rc"
}

rd_stream_gpg() {
  local dir="$1"
  set +e
  gpg --batch --no-tty --pinentry-mode loopback --status-fd 3 --decrypt 3>"$dir/gpg.status" 2>"$dir/gpg.err"
  printf '%s\n' "$?" | rd_put "$dir/gpg.rc"
}

rd_stream_gunzip() {
  local dir="$1"
  set +e
  gzip -dc 2>"$dir/gzip.err"
  printf '%s\n' "$?" | rd_put "$dir/gzip.rc"
}

# ------------------------------------------------------------------- GnuPG
rd_gpg_import_key() {
  local err="$1"
  rd_gpg_home_create
  if ! gpg --batch --no-tty --quiet --import -- "$GPG_KEY_FILE" 2>"$err"; then
    if grep -qiE 'agent|socket' "$err"; then
      sed 's/^/[gpg] /' "$err" >&2 || true
      rd_fail GPG_AGENT_FAILED "gpg could not talk to its agent while importing the key: $(tr '\n' ' ' <"$err" | cut -c1-200)"
    fi
    rd_fail GPG_KEY_MISSING "the bound GPG credential $GPG_CREDENTIAL_ID is not a usable OpenPGP key"
  fi
  gpg --batch --no-tty --list-secret-keys --with-colons 2>/dev/null | grep -q '^sec' ||
    rd_fail GPG_KEY_MISSING "the bound GPG credential $GPG_CREDENTIAL_ID holds no secret key"
}

# After a stream through rd_stream_gpg: returns 0 when gpg decrypted and
# verified everything, else fails with the reason its status lines give.
# A reader that stopped early (broken pipe) is not gpg's fault: return 1.
rd_gpg_judge() {
  local dir="$1" status="$1/gpg.status"
  sed 's/^/[gpg] /' "$dir/gpg.err" >&2 || true
  if [[ "$(cat -- "$dir/gpg.rc")" == 0 ]] && grep -q '^\[GNUPG:\] DECRYPTION_OKAY' "$status"; then return 0; fi
  if grep -q '^\[GNUPG:\] NEED_PASSPHRASE_SYM' "$status"; then
    rd_fail GPG_KEY_MISSING "the backup is encrypted with a passphrase, not a key; only public-key encryption is supported"
  fi
  if grep -q '^\[GNUPG:\] NO_SECKEY' "$status" && ! grep -q '^\[GNUPG:\] DECRYPTION_KEY' "$status"; then
    local keyid
    keyid=$(awk '/^\[GNUPG:\] NO_SECKEY/ {print $3; exit}' "$status")
    rd_fail GPG_KEY_MISSING "the backup is encrypted for key $keyid, which GPG credential $GPG_CREDENTIAL_ID does not hold"
  fi
  if grep -qiE "can't connect to the agent|agent.*(not running|failed)" "$dir/gpg.err"; then
    rd_fail GPG_AGENT_FAILED "gpg lost its agent while decrypting; the backup was not judged"
  fi
  if grep -qE '^\[GNUPG:\] (DECRYPTION_FAILED|BADMDC)' "$status" || ! grep -qi 'broken pipe' "$dir/gpg.err"; then
    rd_fail GPG_CIPHERTEXT_CORRUPT "gpg could not decrypt the backup: the ciphertext is corrupted or truncated (integrity check failed)"
  fi
  return 1
}

# ------------------------------------------------------- restore's stream
# What decrypt verified (RUN_DIR/backup/verified.json).
verified() { jq -r "$1" "$RD_RUN_DIR/backup/verified.json"; }

# Restore sets RD_TMP, ENCRYPTED (true|false) and COMPRESSION (gzip|none).
plaintext_source() {
  case "${ENCRYPTED:-false}/${COMPRESSION:-none}" in
    true/gzip) rd_stream_fetch "$RD_TMP" | rd_stream_gpg "$RD_TMP" | rd_stream_gunzip "$RD_TMP" ;;
    true/none) rd_stream_fetch "$RD_TMP" | rd_stream_gpg "$RD_TMP" ;;
    false/gzip) rd_stream_fetch "$RD_TMP" | rd_stream_gunzip "$RD_TMP" ;;
    *) rd_stream_fetch "$RD_TMP" ;;
  esac
}

# Runs the client "$@" on the plaintext as it streams in (its stderr in
# import.err). Fails with the stream's own reason when fetch, gpg or gunzip
# went wrong, else returns the client's exit status.
stream_into() {
  local -a st
  rm -f -- "$RD_TMP"/*.rc "$RD_TMP/sha256" "$RD_TMP/bytes"
  set +e
  plaintext_source | "$@" >/dev/null 2>"$RD_TMP/import.err"
  st=("${PIPESTATUS[@]}")
  set -e
  rd_await "$RD_TMP/ssh.rc" "$RD_TMP/sha256" "$RD_TMP/bytes"
  local ssh_rc
  ssh_rc=$(cat -- "$RD_TMP/ssh.rc")
  ((ssh_rc == 0)) || rd_fetch_fail "$ssh_rc" "$RD_TMP/ssh.err"
  if [[ "$(cat -- "$RD_TMP/sha256")" != "$(verified .sha256)" ]]; then
    rd_fail BACKUP_CHANGED "$BACKUP_PATH changed on $BACKUP_HOST after decrypt verified it (SHA-256 differs); run the drill again"
  fi
  if [[ "${ENCRYPTED:-false}" == true ]]; then
    rd_await "$RD_TMP/gpg.rc"
    # Not judged only when the client stopped reading (broken pipe): its error follows.
    rd_gpg_judge "$RD_TMP" || true
  fi
  if [[ "${COMPRESSION:-none}" == gzip ]]; then
    rd_await "$RD_TMP/gzip.rc"
    if [[ "$(cat -- "$RD_TMP/gzip.rc")" == 1 ]] && ! grep -qi 'broken pipe' "$RD_TMP/gzip.err"; then
      rd_fail GZIP_CORRUPT "the gzip stream is truncated or corrupt: $(tr '\n' ' ' <"$RD_TMP/gzip.err" | cut -c1-200)"
    fi
  fi
  return "${st[1]}"
}

# By hand these come from beside this file; in Jenkins the job's shell step
# already holds them (JJB include-raw), and there is no "beside".
if ! declare -F rd_probe_dump_version >/dev/null; then
  # shellcheck source=dump-version.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/dump-version.sh"
fi
if ! declare -F rd_mongo_offline_read >/dev/null; then
  # shellcheck source=mongo.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/mongo.sh"
fi
