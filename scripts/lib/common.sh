#!/usr/bin/env bash
# Restore Drill stage prelude.
#
# Every stage script (deploy, decrypt, restore, destroy, pipeline-start,
# report, callback) starts with this file. In Jenkins it is concatenated in
# front of the stage script by a JJB include list, so the rendered job XML is
# self-contained; run by hand, the stage script sources it from scripts/lib.
#
# It provides: strict mode, logging, input validators that refuse bad
# parameters with a reason code, the stage record written to REPORT_DIR
# (stage-<name>.json, merged into restore-report.json by report.sh), cleanup
# hooks run from one EXIT trap, and a helper that drops root privileges.
#
# Rule: user values are only ever tested with [[ =~ ]], passed as separate
# argv entries, or handed to jq with --arg. They are never eval'd and never
# spliced into a shell or SQL text without quoting.
set -euo pipefail
umask 077

# shellcheck disable=SC2034 # read by report.sh
RD_REPORT_SCHEMA_VERSION=1
RD_STAGE_NAME=""
RD_STAGE_STARTED_AT=""
RD_STAGE_FINISHED=0
RD_FACTS='{}'
RD_CLEANUP_FUNCS=()

rd_log() { printf '[restore-drill] %s\n' "$*" >&2; }
rd_now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
rd_epoch_ms() { date +%s%3N; }

# Quote a user value for a log line so newlines and quotes stay visible.
rd_q() { printf '%q' "$1"; }

# Verdict class of a reason code: "failed" means the backup itself is bad or
# unusable; "could-not-verify" means the drill could not run its checks.
rd_verdict_for() {
  case "$1" in
    OK) echo passed ;;
    FILE_MISSING | FILE_EMPTY | GZIP_CORRUPT | GPG_KEY_MISSING | GPG_CIPHERTEXT_CORRUPT | \
      NOT_ENCRYPTED_BUT_KEY_GIVEN | ENCRYPTED_WITHOUT_KEY | DUMP_TRUNCATED | DUMP_CORRUPT | IMPORT_SQL_ERROR | \
      ZERO_TABLES | DB_TYPE_MISMATCH | FORMAT_UNRECOGNIZED | READ_FAILED | INTEGRITY_FAILED | \
      ASSERTION_FAILED | DATA_STALE | BACKUP_MISSING | BACKUP_STALE)
      echo failed ;;
    *) echo could-not-verify ;;
  esac
}

rd_fact_str() { RD_FACTS=$(jq -c --arg k "$1" --arg v "$2" '.[$k] = $v' <<<"$RD_FACTS"); }
rd_fact_json() { RD_FACTS=$(jq -c --arg k "$1" --argjson v "$2" '.[$k] = $v' <<<"$RD_FACTS"); }

rd_report_dir() {
  local dir="${REPORT_DIR:-${WORKSPACE:-$PWD}/restore-report}"
  rd_valid_abs_dir "$dir" || { rd_log "REPORT_DIR $(rd_q "$dir") is not a safe absolute path"; return 1; }
  printf '%s' "$dir"
}

# Write this stage's record. status: running|passed|failed|could-not-verify.
rd_stage_write() {
  local status="$1" code="$2" reason="$3" dir finished=""
  dir=$(rd_report_dir) || return 0
  mkdir -p -- "$dir"
  [[ "$status" == running ]] || finished=$(rd_now)
  jq -n --arg name "$RD_STAGE_NAME" --arg status "$status" --arg code "$code" --arg reason "$reason" \
    --arg started "$RD_STAGE_STARTED_AT" --arg finished "$finished" --argjson facts "$RD_FACTS" \
    '{name: $name, status: $status, startedAt: $started,
      finishedAt: (if $finished == "" then null else $finished end),
      reasonCode: $code, reason: $reason, facts: $facts}' >"$dir/stage-$RD_STAGE_NAME.json.tmp.$$"
  mv -f -- "$dir/stage-$RD_STAGE_NAME.json.tmp.$$" "$dir/stage-$RD_STAGE_NAME.json"
}

rd_stage_begin() {
  if ! rd_report_dir >/dev/null; then
    rd_fail INVALID_REPORT_DIR "REPORT_DIR $(rd_q "${REPORT_DIR:-}") is not a safe absolute path"
  fi
  RD_STAGE_NAME="$1"
  RD_STAGE_STARTED_AT=$(rd_now)
  trap rd_on_exit EXIT
  trap 'rd_on_signal TERM' TERM
  trap 'rd_on_signal INT' INT
  rd_stage_write running RUNNING "stage $RD_STAGE_NAME is running"
  rd_log "stage $RD_STAGE_NAME started"
}

rd_stage_pass() {
  rd_stage_write passed OK "${1:-stage $RD_STAGE_NAME passed}"
  RD_STAGE_FINISHED=1
  rd_log "stage $RD_STAGE_NAME passed"
}

# Stop the stage with a reason code and a human sentence; exit 1 for a failed
# backup, 2 when the check itself could not run.
rd_fail() {
  local code="$1" reason="$2" verdict
  verdict=$(rd_verdict_for "$code")
  if [[ -n "$RD_STAGE_NAME" && "$RD_STAGE_FINISHED" == 0 ]]; then
    rd_stage_write "$verdict" "$code" "$reason" || true
    RD_STAGE_FINISHED=1
  fi
  printf 'RESTORE_DRILL_REASON=%s\n' "$code" >&2
  rd_log "$code: $reason"
  if [[ "$verdict" == failed ]]; then exit 1; fi
  exit 2
}

rd_on_cleanup() { RD_CLEANUP_FUNCS+=("$1"); }

rd_run_cleanups() {
  local fn
  for fn in "${RD_CLEANUP_FUNCS[@]}"; do "$fn" || rd_log "cleanup $fn failed"; done
  RD_CLEANUP_FUNCS=()
}

rd_on_exit() {
  local rc=$?
  trap - EXIT
  set +e
  rd_run_cleanups
  if [[ -n "$RD_STAGE_NAME" && "$RD_STAGE_FINISHED" == 0 ]]; then
    # set -e stopped the script somewhere we did not anticipate.
    rd_stage_write could-not-verify STAGE_ERROR "stage $RD_STAGE_NAME stopped unexpectedly (exit $rc)"
    printf 'RESTORE_DRILL_REASON=STAGE_ERROR\n' >&2
    [[ $rc == 0 ]] && rc=2
  fi
  exit "$rc"
}

rd_on_signal() {
  rd_fail STAGE_INTERRUPTED "stage $RD_STAGE_NAME was interrupted by SIG$1 (build aborted)"
}

# ---------------------------------------------------------------- validators
# Each returns non-zero on a bad value; rd_require_* turn that into rd_fail.

rd_valid_host() {
  local v="$1" label='[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
  ((${#v} >= 1 && ${#v} <= 253)) || return 1
  [[ "$v" =~ ^${label}(\.${label})*$ ]] && return 0
  [[ "$v" =~ ^[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}$ ]]
}
rd_valid_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && ((10#$1 >= 1 && 10#$1 <= 65535)); }
rd_valid_remote_path() { [[ "$1" =~ ^/[A-Za-z0-9._/@+,=:~-]{1,1023}$ ]] && [[ ! "$1" =~ (^|/)\.\.(/|$) ]]; }
rd_valid_credential_id() { [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ ]]; }
rd_valid_abs_dir() { [[ "$1" =~ ^/[A-Za-z0-9._/@+-]{1,400}$ ]] && [[ ! "$1" =~ (^|/)\.\.(/|$) ]] && [[ "$1" != / ]]; }
rd_valid_email_list() { [[ -z "$1" || "$1" =~ ^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+([,\ ]+[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)*$ ]]; }
rd_valid_run_id() { [[ -z "$1" || "$1" =~ ^[A-Za-z0-9_-]{1,64}$ ]]; }
# The portal's schedule names (lib/schedules/schema.ts scheduleNameSchema); empty = not a schedule.
rd_valid_schedule_name() {
  local re='^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,79}$'
  [[ -z "$1" || "$1" =~ $re ]]
}
rd_valid_callback_url() { [[ -z "$1" || "$1" =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/%-]*)?(\?[A-Za-z0-9._~%\&=-]*)?$ ]]; }
rd_valid_host_key() { [[ -z "$1" || "$1" =~ ^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521)\ [A-Za-z0-9+/]{16,}={0,3}$ ]]; }
rd_valid_unix_user() { [[ "$1" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]]; }

rd_require_host() { rd_valid_host "$1" || rd_fail INVALID_HOST "backup host $(rd_q "$1") is not a valid host name or IP address"; }
rd_require_port() { rd_valid_port "$1" || rd_fail INVALID_PORT "backup port $(rd_q "$1") is not a number between 1 and 65535"; }
rd_require_remote_path() {
  rd_valid_remote_path "$1" ||
    rd_fail INVALID_PATH "backup path $(rd_q "$1") must be an absolute path of letters, digits and ._/@+,=:~- without '..'"
}
rd_require_credential_id() {
  rd_valid_credential_id "$2" || rd_fail INVALID_CREDENTIAL_ID "$1 $(rd_q "$2") is not a valid Jenkins credential id"
}

rd_require_db_type() {
  case "$1" in
    mysql | postgresql | sqlite | mongodb) ;;
    *) rd_fail INVALID_DB_TYPE "database type $(rd_q "$1") is not one of mysql, postgresql, sqlite, mongodb" ;;
  esac
}

rd_require_provider() {
  case "$1" in
    local | docker) ;;
    aws) rd_fail PROVIDER_UNSUPPORTED "sandbox provider $1 is planned but not supported yet; use local or docker" ;;
    *) rd_fail INVALID_PROVIDER "sandbox provider $(rd_q "$1") is not one of local, docker, aws" ;;
  esac
}

# RUN_DIR holds everything one run creates; destroy removes it. The marker
# file lets destroy refuse to delete a directory the drill did not create.
# Sets RD_RUN_DIR (not a subshell helper: rd_fail must run in the main shell).
rd_resolve_run_dir() {
  RD_RUN_DIR="${RUN_DIR:-${WORKSPACE:-$PWD}/restore-run-${BUILD_TAG:-manual}}"
  rd_valid_abs_dir "$RD_RUN_DIR" || rd_fail INVALID_RUN_DIR "run directory $(rd_q "$RD_RUN_DIR") is not a safe absolute path"
}

rd_ensure_run_dir() {
  local dir="$1"
  if [[ -d "$dir" && ! -e "$dir/.restore-drill-run" ]] && [[ -n "$(ls -A -- "$dir")" ]]; then
    rd_fail INVALID_RUN_DIR "run directory $dir exists and was not created by Restore Drill"
  fi
  mkdir -p -- "$dir"
  chmod 0711 -- "$dir"
  : >"$dir/.restore-drill-run"
}

# ------------------------------------------------------- privilege handling
# Database servers refuse (mariadbd) or should not (postgres) run as root.
# As root we drop to SANDBOX_RUN_AS (default nobody); otherwise we run as
# ourselves. Sets the array RD_RUN_AS for use as a command prefix.
rd_init_run_as() {
  # shellcheck disable=SC2034 # RD_RUN_AS and RD_SANDBOX_USER are used by deploy.sh
  RD_RUN_AS=()
  RD_SANDBOX_USER=$(id -un)
  if [[ $EUID -eq 0 ]]; then
    local user="${SANDBOX_RUN_AS:-nobody}" group
    rd_valid_unix_user "$user" || rd_fail INVALID_RUN_AS "SANDBOX_RUN_AS $(rd_q "$user") is not a valid user name"
    id -u -- "$user" >/dev/null 2>&1 || rd_fail INVALID_RUN_AS "SANDBOX_RUN_AS user $user does not exist"
    group=$(id -gn -- "$user")
    # shellcheck disable=SC2034
    RD_RUN_AS=(setpriv "--reuid=$user" "--regid=$group" --clear-groups --)
    # shellcheck disable=SC2034
    RD_SANDBOX_USER="$user"
  fi
}

rd_hex_secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# Detach a long-lived server from the build: its own session, and the
# cookies Jenkins' ProcessTreeKiller looks for overwritten, so the sandbox
# outlives the deploy build until destroy stops it.
rd_spawn_detached() {
  local log="$1"
  shift
  BUILD_ID=restore-drill-sandbox JENKINS_NODE_COOKIE=restore-drill-sandbox \
    setsid "$@" </dev/null >>"$log" 2>&1 &
}

# ------------------------------------------------------------------ GnuPG
# gpg-agent listens on unix sockets inside GNUPGHOME, and a socket path is
# limited to ~107 bytes: under a Jenkins workspace (/var/jenkins_home/
# workspace/…/restore-run-NN/…) the agent cannot start. The keyring therefore
# lives in a short private directory made by mktemp — in /dev/shm (memory)
# when there is one, else /tmp — recorded in RUN_DIR/gnupg-home so destroy
# stops its agent and removes it even after a crash.
RD_GPG_HOME_RE='^/(dev/shm|tmp)/rd-gpg\.[A-Za-z0-9]{10}$'

rd_gpg_base_dir() {
  if [[ -d /dev/shm && -w /dev/shm && -k /dev/shm ]]; then printf /dev/shm; else printf /tmp; fi
}

# Makes GNUPGHOME and starts its agent; an agent that cannot start is a
# could-not-verify GPG_AGENT_FAILED, never a "bad key".
rd_gpg_home_create() {
  local base
  base=$(rd_gpg_base_dir)
  GNUPGHOME=$(mktemp -d "$base/rd-gpg.XXXXXXXXXX") ||
    rd_fail GPG_AGENT_FAILED "could not create a private GnuPG home under $base"
  export GNUPGHOME
  printf '%s\n' "$GNUPGHOME" >"$RD_RUN_DIR/gnupg-home"
  rd_on_cleanup rd_gpg_home_remove
  if ! gpgconf --launch gpg-agent 2>"$GNUPGHOME/agent.err"; then
    sed 's/^/[gpg-agent] /' "$GNUPGHOME/agent.err" >&2 || true
    rd_fail GPG_AGENT_FAILED "gpg-agent could not start in $GNUPGHOME (socket $(gpgconf --list-dirs agent-socket 2>/dev/null || echo '?')); the key was not tried"
  fi
}

rd_gpg_home_remove() {
  [[ -n "${GNUPGHOME:-}" && "$GNUPGHOME" =~ $RD_GPG_HOME_RE && -d "$GNUPGHOME" ]] || return 0
  gpgconf --kill all >/dev/null 2>&1 || true
  rm -rf --one-file-system -- "$GNUPGHOME"
  rm -f -- "$RD_RUN_DIR/gnupg-home"
}

# For destroy and the sweep: the recorded home of a run, only ever one made above.
rd_gpg_home_remove_recorded() {
  local run_dir="$1" dir
  [[ -s "$run_dir/gnupg-home" ]] || return 0
  dir=$(head -n 1 -- "$run_dir/gnupg-home")
  [[ "$dir" =~ $RD_GPG_HOME_RE && -d "$dir" && ! -L "$dir" ]] || return 0
  GNUPGHOME="$dir" gpgconf --kill all >/dev/null 2>&1 || true
  rm -rf --one-file-system -- "$dir"
}
