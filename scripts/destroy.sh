#!/usr/bin/env bash
# Stage "destroy": stop the sandbox and remove the whole run directory.
#
# Env: RUN_DIR, REPORT_DIR. Idempotent: succeeds when RUN_DIR is missing or
# deploy never got far. Leaves no process, socket, port or file behind.
# Refuses to delete a non-empty directory that lacks the Restore Drill marker.
# Example: RUN_DIR=/tmp/run1 scripts/destroy.sh
if ! declare -F rd_fail >/dev/null; then
  # shellcheck source=lib/common.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
fi

STOP_TIMEOUT_S=15

# Only trust a pid whose command line still mentions this run directory.
pid_belongs_to_run() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$RD_RUN_DIR/"
}

# deploy started the server with setsid, so it leads a session holding all
# its children (postgres backends do not mention the data directory).
session_pids() { ps -eo pid=,sid= | awk -v s="$1" '$2 == s {print $1}'; }

stop_session() {
  local sid="$1" signal="$2" deadline pids
  kill "-$signal" "$sid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT_S))
  while pids=$(session_pids "$sid") && [[ -n "$pids" ]]; do
    if ((SECONDS >= deadline)); then
      rd_log "sandbox session $sid did not stop in ${STOP_TIMEOUT_S}s; killing it"
      # shellcheck disable=SC2086 # one pid per word
      kill -KILL $pids 2>/dev/null || true
      sleep 0.2
      deadline=$((SECONDS + 5))
      signal=KILL
    fi
    sleep 0.1
  done
}

candidate_pids() {
  local sandbox="$RD_RUN_DIR/sandbox"
  [[ -s "$sandbox/handle.json" ]] && jq -r '.pid // empty' "$sandbox/handle.json" 2>/dev/null
  [[ -s "$sandbox/server.pid" ]] && head -n 1 "$sandbox/server.pid"
  [[ -s "$sandbox/data/postmaster.pid" ]] && head -n 1 "$sandbox/data/postmaster.pid"
  return 0
}

stop_sandbox() {
  local pid engine=""
  [[ -s "$RD_RUN_DIR/sandbox/handle.json" ]] && engine=$(jq -r .engine "$RD_RUN_DIR/sandbox/handle.json" 2>/dev/null || true)
  while read -r pid; do
    pid_belongs_to_run "$pid" || continue
    rd_log "stopping sandbox server pid $pid"
    # SIGINT is PostgreSQL's fast shutdown; SIGTERM is MariaDB's normal one.
    if [[ "$engine" == postgresql ]]; then stop_session "$pid" INT; else stop_session "$pid" TERM; fi
  done < <(candidate_pids | sort -u)
}

# deploy's short socket directory outside the run directory (long RUN_DIR);
# only ever a directory it made with mktemp.
remove_socket_dir() {
  local record="$RD_RUN_DIR/sandbox/socket-dir" dir
  [[ -s "$record" ]] || return 0
  dir=$(head -n 1 -- "$record")
  [[ "$dir" =~ ^/tmp/rd-sock\.[A-Za-z0-9]{10}$ && -d "$dir" && ! -L "$dir" ]] || return 0
  rm -rf --one-file-system -- "$dir"
  [[ ! -e "$dir" ]] || rd_fail DESTROY_FAILED "could not remove the sandbox socket directory $dir"
}

# Anything else still naming the run directory (a gpg-agent for its
# GNUPGHOME, a server whose pid file was never written).
kill_leftovers() {
  local proc pid
  for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    if pid_belongs_to_run "$pid"; then
      rd_log "killing leftover process $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

main() {
  rd_stage_begin destroy
  rd_resolve_run_dir
  if [[ ! -e "$RD_RUN_DIR" ]]; then
    rd_stage_pass "nothing to destroy: $RD_RUN_DIR does not exist"
    return 0
  fi
  if [[ ! -e "$RD_RUN_DIR/.restore-drill-run" && -n "$(ls -A -- "$RD_RUN_DIR")" ]]; then
    rd_fail RUN_DIR_FOREIGN "refusing to delete $RD_RUN_DIR: it was not created by Restore Drill"
  fi
  stop_sandbox
  rd_gpg_home_remove_recorded "$RD_RUN_DIR"
  if [[ -d "$RD_RUN_DIR/gnupg" ]]; then # a run started before the keyring moved out of RUN_DIR
    GNUPGHOME="$RD_RUN_DIR/gnupg" gpgconf --kill all >/dev/null 2>&1 || true
  fi
  kill_leftovers
  remove_socket_dir
  rm -rf --one-file-system -- "$RD_RUN_DIR"
  [[ ! -e "$RD_RUN_DIR" ]] || rd_fail DESTROY_FAILED "could not remove $RD_RUN_DIR"
  rd_stage_pass "sandbox stopped and $RD_RUN_DIR removed"
}

main "$@"
