#!/usr/bin/env bash
# Stage "decrypt": fetch the backup over SSH, decrypt and decompress it.
#
# Env (build parameters): RUN_DIR, BACKUP_HOST, BACKUP_PORT (default 22),
#      BACKUP_PATH, BACKUP_HOST_KEY (optional "type base64" public host key),
#      SSH_CREDENTIAL_ID, GPG_CREDENTIAL_ID (empty = not encrypted), REPORT_DIR.
# Env (credentials-binding): SSH_KEY_FILE, SSH_USER, SSH_KEY_PASSPHRASE,
#      GPG_KEY_FILE (only in the -gpg job variant).
# Env (node configuration): RD_KNOWN_HOSTS_FILE — where first-seen host keys
#      are recorded when BACKUP_HOST_KEY is empty (default
#      ~/.ssh/restore-drill_known_hosts); a later different key is refused.
# Output: RUN_DIR/backup/payload, the plaintext backup (removed by destroy).
# Accepts plain, .gz, .gpg/.asc and .gz.gpg; the kind is read from the bytes.
if ! declare -F rd_fail >/dev/null; then
  # shellcheck source=lib/common.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
fi

validate_inputs() {
  BACKUP_PORT="${BACKUP_PORT:-22}"
  rd_require_host "${BACKUP_HOST:-}"
  rd_require_port "$BACKUP_PORT"
  rd_require_remote_path "${BACKUP_PATH:-}"
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

fetch_backup() {
  local err="$RD_WORK/ssh.err" rc=0
  ssh_command
  rd_log "fetching $BACKUP_PATH from $BACKUP_HOST:$BACKUP_PORT"
  "${SSH_ARGV[@]}" </dev/null >"$RD_WORK/fetched" 2>"$err" || rc=$?
  if ((rc != 0)); then
    sed 's/^/[ssh] /' "$err" >&2 || true
    local msg
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
  fi
}

first_bytes_hex() { od -An -N"$2" -tx1 -- "$1" | tr -d ' \n'; }

is_gzip() { [[ "$(first_bytes_hex "$1" 2)" == 1f8b ]]; }

# OpenPGP message: ASCII armor, or a binary packet whose tag is 1 (public-key
# encrypted session key) or 3 (symmetric session key).
is_openpgp() {
  [[ "$(head -c 27 -- "$1")" == "-----BEGIN PGP MESSAGE-----" ]] && return 0
  local byte tag
  byte=$((16#$(first_bytes_hex "$1" 1)))
  ((byte & 0x80)) || return 1
  if ((byte & 0x40)); then tag=$((byte & 0x3f)); else tag=$(((byte >> 2) & 0x0f)); fi
  ((tag == 1 || tag == 3))
}

gpg_decrypt() {
  local in="$1" out="$2" status="$RD_WORK/gpg.status" rc=0
  rd_gpg_home_create
  if ! gpg --batch --no-tty --quiet --import -- "$GPG_KEY_FILE" 2>"$RD_WORK/gpg-import.err"; then
    if grep -qiE 'agent|socket' "$RD_WORK/gpg-import.err"; then
      sed 's/^/[gpg] /' "$RD_WORK/gpg-import.err" >&2 || true
      rd_fail GPG_AGENT_FAILED "gpg could not talk to its agent while importing the key: $(tr '\n' ' ' <"$RD_WORK/gpg-import.err" | cut -c1-200)"
    fi
    rd_fail GPG_KEY_MISSING "the bound GPG credential $GPG_CREDENTIAL_ID is not a usable OpenPGP key"
  fi
  gpg --batch --no-tty --list-secret-keys --with-colons 2>/dev/null | grep -q '^sec' ||
    rd_fail GPG_KEY_MISSING "the bound GPG credential $GPG_CREDENTIAL_ID holds no secret key"
  gpg --batch --no-tty --yes --pinentry-mode loopback --status-file "$status" \
    --output "$out" --decrypt -- "$in" 2>"$RD_WORK/gpg.err" || rc=$?
  sed 's/^/[gpg] /' "$RD_WORK/gpg.err" >&2 || true
  if ((rc == 0)) && grep -q '^\[GNUPG:\] DECRYPTION_OKAY' "$status"; then
    rd_gpg_home_remove
    return 0
  fi
  rm -f -- "$out"
  if grep -q '^\[GNUPG:\] NEED_PASSPHRASE_SYM' "$status"; then
    rd_fail GPG_KEY_MISSING "the backup is encrypted with a passphrase, not a key; only public-key encryption is supported"
  fi
  if grep -q '^\[GNUPG:\] NO_SECKEY' "$status" && ! grep -q '^\[GNUPG:\] DECRYPTION_KEY' "$status"; then
    local keyid
    keyid=$(awk '/^\[GNUPG:\] NO_SECKEY/ {print $3; exit}' "$status")
    rd_fail GPG_KEY_MISSING "the backup is encrypted for key $keyid, which GPG credential $GPG_CREDENTIAL_ID does not hold"
  fi
  if grep -qiE "can't connect to the agent|agent.*(not running|failed)" "$RD_WORK/gpg.err"; then
    rd_fail GPG_AGENT_FAILED "gpg lost its agent while decrypting; the backup was not judged"
  fi
  rd_fail GPG_CIPHERTEXT_CORRUPT "gpg could not decrypt the backup: the ciphertext is corrupted or truncated (integrity check failed)"
}

gunzip_payload() {
  local in="$1" out="$2" rc=0
  gzip -dc -- "$in" >"$out" 2>"$RD_WORK/gzip.err" || rc=$?
  if ((rc == 1)); then
    rm -f -- "$out"
    rd_fail GZIP_CORRUPT "the gzip stream is truncated or corrupt: $(tr '\n' ' ' <"$RD_WORK/gzip.err" | cut -c1-200)"
  fi
  ((rc == 0)) || rd_log "gzip warning: $(cat -- "$RD_WORK/gzip.err")"
}

main() {
  rd_stage_begin decrypt
  rd_resolve_run_dir
  validate_inputs
  rd_ensure_run_dir "$RD_RUN_DIR"
  RD_WORK="$RD_RUN_DIR/backup"
  rm -rf -- "$RD_WORK"
  mkdir -m 0700 -- "$RD_WORK"

  local started_ms
  started_ms=$(rd_epoch_ms)
  fetch_backup
  local fetched="$RD_WORK/fetched" bytes sha
  bytes=$(stat -c %s -- "$fetched")
  sha=$(sha256sum -- "$fetched" | cut -d' ' -f1)
  rd_fact_str host "$BACKUP_HOST"
  rd_fact_json port "$((10#$BACKUP_PORT))"
  rd_fact_str path "$BACKUP_PATH"
  rd_fact_json bytes "$bytes"
  rd_fact_str sha256 "$sha"
  rd_fact_json fetchSeconds "$(jq -n --argjson ms "$(($(rd_epoch_ms) - started_ms))" '$ms / 1000')"
  ((bytes > 0)) || rd_fail FILE_EMPTY "$BACKUP_PATH on $BACKUP_HOST is empty (0 bytes)"

  local current="$fetched" encrypted=false compression=none
  if is_openpgp "$current"; then
    encrypted=true
    [[ -n "${GPG_CREDENTIAL_ID:-}" ]] ||
      rd_fail ENCRYPTED_WITHOUT_KEY "the backup is GPG-encrypted but no GPG credential id was given"
    gpg_decrypt "$current" "$RD_WORK/decrypted"
    rm -f -- "$current"
    current="$RD_WORK/decrypted"
  elif [[ -n "${GPG_CREDENTIAL_ID:-}" ]]; then
    rd_fail NOT_ENCRYPTED_BUT_KEY_GIVEN "a GPG credential was given but the backup is not GPG-encrypted"
  fi
  rd_fact_json encrypted "$encrypted"
  if is_gzip "$current"; then
    compression=gzip
    gunzip_payload "$current" "$RD_WORK/decompressed"
    rm -f -- "$current"
    current="$RD_WORK/decompressed"
  fi
  rd_fact_str compression "$compression"
  mv -f -- "$current" "$RD_WORK/payload"
  local payload_bytes
  payload_bytes=$(stat -c %s -- "$RD_WORK/payload")
  rd_fact_json payloadBytes "$payload_bytes"
  ((payload_bytes > 0)) || rd_fail FILE_EMPTY "the backup holds no data once decrypted and decompressed"
  rd_stage_pass "fetched $bytes bytes (encrypted: $encrypted, compression: $compression)"
}

main "$@"
