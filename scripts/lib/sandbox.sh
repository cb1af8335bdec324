#!/usr/bin/env bash
# Restore Drill sandbox life cycle shared by deploy, destroy and the sweep:
# tearing a run down, and the lease that names the build a sandbox belongs to.
#
# In Jenkins this file is concatenated after common.sh in front of deploy.sh,
# destroy.sh and sweep.sh (JJB include list); run by hand they source it.
#
# Lease: deploy writes RD_LEASE_DIR/<hash of RUN_DIR>.json before it starts a
# server: the run directory, the Jenkins build (job, number, URL, Jenkins
# URL) and the holder process (the agent or emulator process that ran the
# build step: pid + start time, so a reused pid is not mistaken for it).
# destroy removes the lease. The sweep (at every deploy, and the
# restore-drill-sweep job) tears down every run whose build is over:
#   1. Jenkins' REST API, when a Jenkins URL and credentials are at hand:
#      the owning build (the pipeline that triggered the deploy build) says
#      building → keep; finished, or the build no longer exists → remove.
#      After a Jenkins crash and restart the interrupted freestyle builds are
#      finished (Jenkins never resumes them), so their sandboxes go.
#   2. Otherwise the holder process: gone (Jenkins or its agent died, or the
#      person running the stages by hand closed that shell) → remove.
#   3. Anything uncertain (Jenkins unreachable and the holder alive) → keep.
STOP_TIMEOUT_S=15

rd_lease_dir() { printf '%s' "${RD_LEASE_DIR:-${HOME:-/nonexistent}/.restore-drill/leases}"; }
rd_lease_file() { printf '%s/%s.json' "$(rd_lease_dir)" "$(printf '%s' "$1" | sha256sum | cut -c1-24)"; }

# "<pid> <start time in clock ticks since boot>" of a live process, or nothing.
rd_process_identity() {
  local stat
  [[ "$1" =~ ^[0-9]+$ ]] && stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  printf '%s %s' "$1" "$(cut -d' ' -f20 <<<"$stat")"
}

# Written before the server starts, so a crash during deploy leaves a lease.
rd_lease_write() {
  local run_dir="$1" dir file holder pid start
  dir=$(rd_lease_dir)
  mkdir -p -- "$dir"
  chmod 0700 -- "$dir"
  file=$(rd_lease_file "$run_dir")
  holder=$(rd_process_identity "${RD_LEASE_HOLDER_PID:-$PPID}") || holder=""
  read -r pid start <<<"$holder" || true
  jq -n --arg runDir "$run_dir" --arg host "$(hostname)" --arg created "$(rd_now)" \
    --arg job "${JOB_NAME:-}" --arg number "${BUILD_NUMBER:-}" --arg url "${BUILD_URL:-}" --arg jenkins "${JENKINS_URL:-}" \
    --arg pid "${pid:-}" --arg start "${start:-}" \
    '{runDir: $runDir, host: $host, createdAt: $created,
      build: (if $url == "" then null else {job: $job, number: ($number | tonumber? // null), url: $url, jenkinsUrl: $jenkins} end),
      holder: (if $pid == "" then null else {pid: ($pid | tonumber), startTicks: $start} end)}' >"$file.tmp.$$"
  mv -f -- "$file.tmp.$$" "$file"
}

rd_lease_remove() { rm -f -- "$(rd_lease_file "$1")"; }

# ------------------------------------------------------------------ teardown
# All of these act on RD_RUN_DIR.

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

# Deploy's socket helpers, for both providers (container.sh uses them too).
# Unix sockets are limited to ~107 bytes; fall back to a loopback TCP port.
socket_fits() { ((${#1} <= 100)); }

# mariadbd opens a unix socket even when it listens on TCP. When the sandbox
# path is too long for one, the socket goes in a private mktemp directory
# under /tmp, recorded in the sandbox first so destroy removes it even if
# deploy dies before writing the handle.
make_short_socket_dir() {
  RD_SOCKET_DIR=$(mktemp -d /tmp/rd-sock.XXXXXXXXXX) ||
    rd_fail SANDBOX_START_FAILED "could not create a socket directory under /tmp"
  printf '%s\n' "$RD_SOCKET_DIR" >"$RD_SANDBOX/socket-dir"
  chown -- "$RD_SANDBOX_USER" "$RD_SOCKET_DIR"
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

# Anything else still naming the run directory (a server whose pid file was
# never written, a client left by a killed restore).
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

# Stops everything of RD_RUN_DIR and removes it (and its lease).
rd_teardown_run() {
  if [[ ! -e "$RD_RUN_DIR" ]]; then
    rd_lease_remove "$RD_RUN_DIR"
    return 0
  fi
  if [[ ! -e "$RD_RUN_DIR/.restore-drill-run" && -n "$(ls -A -- "$RD_RUN_DIR")" ]]; then
    rd_fail RUN_DIR_FOREIGN "refusing to delete $RD_RUN_DIR: it was not created by Restore Drill"
  fi
  stop_sandbox
  if declare -F rd_container_remove_recorded >/dev/null; then rd_container_remove_recorded; fi
  rd_gpg_home_remove_recorded "$RD_RUN_DIR"
  if [[ -d "$RD_RUN_DIR/gnupg" ]]; then # a run started before the keyring moved out of RUN_DIR
    GNUPGHOME="$RD_RUN_DIR/gnupg" gpgconf --kill all >/dev/null 2>&1 || true
  fi
  kill_leftovers
  remove_socket_dir
  rm -rf --one-file-system -- "$RD_RUN_DIR"
  [[ ! -e "$RD_RUN_DIR" ]] || rd_fail DESTROY_FAILED "could not remove $RD_RUN_DIR"
  rd_lease_remove "$RD_RUN_DIR"
}

# ------------------------------------------------------------------- sweep
# GET a Jenkins URL with the sweep's credentials; prints "<http code> <body>".
# The token goes to curl through a pipe, never on its command line.
rd_jenkins_get() {
  local body code
  # -g: the tree parameter's [ ] are Jenkins syntax, not curl's URL globbing.
  body=$(curl -sS -g --max-time 10 -w '\n%{http_code}' -K <(printf 'user = "%s:%s"\n' "$RD_JENKINS_USER" "$RD_JENKINS_TOKEN") -- "$1" 2>/dev/null) || return 1
  code=${body##*$'\n'}
  printf '%s %s' "$code" "${body%$'\n'*}"
}

# running | finished | unknown — what Jenkins says about the lease's build.
rd_lease_build_state() {
  local lease="$1" url jenkins answer code owner
  url=$(jq -r '.build.url // empty' "$lease")
  jenkins=$(jq -r '.build.jenkinsUrl // empty' "$lease")
  if [[ -z "$url" || -z "${RD_JENKINS_USER:-}" || -z "${RD_JENKINS_TOKEN:-}" || -z "${JENKINS_URL:-}" || "$jenkins" != "$JENKINS_URL" ]]; then
    echo unknown
    return
  fi
  # The lease names the deploy build; its owner is the pipeline build that triggered it.
  answer=$(rd_jenkins_get "${url}api/json?tree=building,actions[causes[upstreamUrl,upstreamBuild]]") || { echo unknown; return; }
  code=${answer%% *}
  [[ "$code" == 404 ]] && { echo finished; return; }
  [[ "$code" == 200 ]] || { echo unknown; return; }
  owner=$(jq -r --arg root "$JENKINS_URL" '[.actions[]?.causes[]? | select(.upstreamUrl != null)][0]
    | if . == null then empty else "\($root)\(.upstreamUrl)\(.upstreamBuild)/" end' <<<"${answer#* }" 2>/dev/null) || owner=""
  if [[ -n "$owner" ]]; then
    answer=$(rd_jenkins_get "${owner}api/json?tree=building") || { echo unknown; return; }
    code=${answer%% *}
    [[ "$code" == 404 ]] && { echo finished; return; }
    [[ "$code" == 200 ]] || { echo unknown; return; }
  fi
  case "$(jq -r '.building' <<<"${answer#* }" 2>/dev/null)" in
    true) echo running ;;
    false) echo finished ;;
    *) echo unknown ;;
  esac
}

# alive | dead | unknown — the process that ran the deploy step.
rd_lease_holder_state() {
  local lease="$1" host pid start now
  host=$(jq -r '.host // empty' "$lease")
  pid=$(jq -r '.holder.pid // empty' "$lease")
  start=$(jq -r '.holder.startTicks // empty' "$lease")
  [[ -n "$pid" && "$host" == "$(hostname)" ]] || { echo unknown; return; }
  now=$(rd_process_identity "$pid") || { echo dead; return; }
  if [[ "$now" == "$pid $start" ]]; then echo alive; else echo dead; fi
}

# Prints keep|remove and why, for one lease.
rd_lease_decide() {
  local lease="$1" build holder
  build=$(rd_lease_build_state "$lease")
  case "$build" in
    running) echo "keep its build is still running"; return ;;
    finished) echo "remove its build is no longer running (Jenkins)"; return ;;
  esac
  holder=$(rd_lease_holder_state "$lease")
  case "$holder" in
    dead) echo "remove the process that ran its build is gone" ;;
    alive) echo "keep the process that ran its build is alive" ;;
    *) echo "keep nothing tells whether its build is over" ;;
  esac
}

# Run in a subshell: one sweeper per lease (flock), and a refusal ends only it.
rd_sweep_one() {
  local lease="$1" run_dir="$2"
  exec 9<"$lease"
  flock -n 9 || exit 3
  rd_valid_abs_dir "$run_dir" || exit 4
  # Not the caller's stage record, not its reason code: just say why.
  rd_fail() { rd_log "sweep: $1: $2"; exit 2; }
  RD_RUN_DIR="$run_dir"
  rd_teardown_run
}

# Sweeps every lease except the one of $1 (deploy's own run). Never fails:
# prints "swept N, kept M" on stdout for the caller.
rd_sweep() {
  local own="${1:-}" dir lease run_dir decision swept=0 kept=0
  dir=$(rd_lease_dir)
  if [[ -d "$dir" ]]; then
    for lease in "$dir"/*.json; do
      [[ -f "$lease" ]] || continue
      run_dir=$(jq -r '.runDir // empty' "$lease" 2>/dev/null) || run_dir=""
      [[ -n "$run_dir" && "$run_dir" != "$own" ]] || continue
      decision=$(rd_lease_decide "$lease")
      if [[ "$decision" == keep* ]]; then
        kept=$((kept + 1))
        continue
      fi
      rd_log "sweep: removing the sandbox in $run_dir: ${decision#remove }"
      # One sweeper per lease; a subshell so a refusal does not end the caller.
      if (rd_sweep_one "$lease" "$run_dir"); then swept=$((swept + 1)); else
        rd_log "sweep: could not remove $run_dir (see above)"
        kept=$((kept + 1))
      fi
    done
  fi
  printf 'swept %s, kept %s\n' "$swept" "$kept"
}
