#!/usr/bin/env bash
# Job "check" (issue 19 item 5, "Test connection"): the decrypt stage's pre-check on demand —
# the host answers, its host key is the expected one, the SSH key is accepted, and the file
# exists (or the pattern has a match in the directory). Nothing is fetched, nothing decrypted.
#
# Env (build parameters): BACKUP_HOST, BACKUP_PORT (default 22), BACKUP_PATH, BACKUP_PATTERN,
#      BACKUP_TIME_ZONE, MAX_BACKUP_AGE_HOURS, BACKUP_HOST_KEY, SSH_CREDENTIAL_ID,
#      ALLOWED_PATH_PREFIXES, REPORT_DIR (default $WORKSPACE/check-report).
# Env (credentials-binding): SSH_KEY_FILE, SSH_USER, SSH_KEY_PASSPHRASE.
# Output: REPORT_DIR/stage-check.json — passed with the file found (facts.selection), or
#      the reason code decrypt would fail with (FILE_MISSING, BACKUP_MISSING, HOST_KEY_MISMATCH…).
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

remove_work() { rm -rf -- "${RD_WORK:-/nonexistent}"; }

main() {
  REPORT_DIR="${REPORT_DIR:-${WORKSPACE:-$PWD}/check-report}"
  rd_stage_begin check
  validate_inputs
  RD_WORK=$(mktemp -d)
  rd_on_cleanup remove_work
  # An exact file is listed like a pattern's directory, for its size and modification time.
  RD_SELECT_EXACT=1 rd_select_backup
  rd_fact_str host "$BACKUP_HOST"
  rd_fact_json selection "$(cat -- "$RD_WORK/selection.json")"
  rd_stage_pass "$BACKUP_HOST answered, the key was accepted and $BACKUP_PATH is there"
}

main "$@"
