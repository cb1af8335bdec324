#!/usr/bin/env bash
# Pipeline step "validate": refuse bad parameters before anything runs.
#
# Env (build parameters): BACKUP_HOST, BACKUP_PORT, BACKUP_PATH,
#      BACKUP_HOST_KEY, DB_TYPE, SSH_CREDENTIAL_ID, GPG_CREDENTIAL_ID,
#      SANDBOX_PROVIDER, NOTIFY_EMAIL, ALLOWED_PATH_PREFIXES, RUN_ID,
#      CALLBACK_URL, SCHEDULE_NAME, ASSERTIONS, FRESHNESS_QUERY,
#      FRESHNESS_MAX_AGE_HOURS, BACKUP_PATTERN, BACKUP_TIME_ZONE,
#      MAX_BACKUP_AGE_HOURS; REPORT_DIR. (ALLOWED_PATH_PREFIXES is
#      checked by decrypt and restore, next to the connection.)
# Clears REPORT_DIR (this build's stage records) and writes stage-validate.json.
if ! declare -F rd_fail >/dev/null; then
  # shellcheck source=lib/common.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
fi
# shellcheck source=lib/data-checks.sh
declare -F rd_require_data_checks >/dev/null || source "$(dirname -- "${BASH_SOURCE[0]}")/lib/data-checks.sh"
# shellcheck source=lib/select.sh
declare -F rd_require_selection >/dev/null || source "$(dirname -- "${BASH_SOURCE[0]}")/lib/select.sh"

reset_report_dir() {
  local dir
  dir=$(rd_report_dir) || rd_fail INVALID_REPORT_DIR "REPORT_DIR is not a safe absolute path"
  rm -rf -- "$dir"
  mkdir -p -- "$dir"
}

main() {
  reset_report_dir
  rd_stage_begin validate
  local port="${BACKUP_PORT:-22}" gpg_id="${GPG_CREDENTIAL_ID:-}"
  rd_require_host "${BACKUP_HOST:-}"
  rd_require_port "$port"
  rd_require_remote_path "${BACKUP_PATH:-}"
  rd_require_db_type "${DB_TYPE:-}"
  rd_require_provider "${SANDBOX_PROVIDER:-local}"
  rd_require_credential_id "SSH credential id" "${SSH_CREDENTIAL_ID:-}"
  [[ -z "$gpg_id" ]] || rd_require_credential_id "GPG credential id" "$gpg_id"
  rd_valid_host_key "${BACKUP_HOST_KEY:-}" ||
    rd_fail INVALID_HOST_KEY "backup host key must look like 'ssh-ed25519 AAAA…' (key type and base64 only)"
  rd_valid_email_list "${NOTIFY_EMAIL:-}" || rd_fail INVALID_EMAIL "notify e-mail $(rd_q "${NOTIFY_EMAIL:-}") is not a list of addresses"
  rd_valid_run_id "${RUN_ID:-}" || rd_fail INVALID_RUN_ID "run id $(rd_q "${RUN_ID:-}") must be 1-64 letters, digits, - or _"
  rd_valid_callback_url "${CALLBACK_URL:-}" || rd_fail INVALID_CALLBACK_URL "callback URL $(rd_q "${CALLBACK_URL:-}") is not a plain http(s) URL"
  rd_valid_schedule_name "${SCHEDULE_NAME:-}" ||
    rd_fail INVALID_SCHEDULE_NAME "schedule name $(rd_q "${SCHEDULE_NAME:-}") must be letters, digits, spaces and . _ ( ) - (at most 80)"

  # The two pipeline variants differ only in whether decrypt binds a GPG key
  # (a credentials binding with an empty id fails the build in Jenkins).
  if [[ -n "${JOB_NAME:-}" ]]; then
    if [[ -n "$gpg_id" && "$JOB_NAME" != *-gpg ]]; then
      rd_fail GPG_KEY_NOT_BOUND "a GPG credential id was given: run the ${JOB_NAME}-gpg job, which binds the key"
    elif [[ -z "$gpg_id" && "$JOB_NAME" == *-gpg ]]; then
      rd_fail GPG_CREDENTIAL_REQUIRED "this pipeline variant decrypts with GPG: give a GPG credential id or run ${JOB_NAME%-gpg}"
    fi
  fi
  rd_require_data_checks "${ASSERTIONS:-}" "${FRESHNESS_QUERY:-}" "${FRESHNESS_MAX_AGE_HOURS:-26}"
  rd_require_selection "${BACKUP_PATTERN:-}" "${BACKUP_TIME_ZONE:-}" "${MAX_BACKUP_AGE_HOURS:-}"
  rd_fact_str host "$BACKUP_HOST"
  rd_fact_json port "$((10#$port))"
  rd_fact_str path "$BACKUP_PATH"
  rd_fact_str dbType "$DB_TYPE"
  rd_fact_str provider "${SANDBOX_PROVIDER:-local}"
  rd_fact_json encryptionExpected "$([[ -n "$gpg_id" ]] && echo true || echo false)"
  rd_stage_pass "parameters are valid"
}

main "$@"
