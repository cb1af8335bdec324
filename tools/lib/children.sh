#!/usr/bin/env bash
# Sourced by tools/start.sh: the long-running children (emulator, demo backup host, portal) and
# their supervision. Each child runs in a process group of its own, so stopping it stops what it
# started too (npx's shell and next-server, a build's scripts), and when one child ends the others
# are stopped: `npm start` never leaves a half-running installation behind.

declare -a child_pids=()
declare -A child_names=()

# start_child NAME COMMAND [ARGS...]: runs COMMAND in the background in a new process group.
start_child() {
  local name="$1"
  shift
  set -m # job control: a background job gets its own process group (id = its pid)
  "$@" &
  local pid="$!"
  set +m
  child_pids+=("$pid")
  child_names[$pid]="$name"
}

# forget_child PID: a child that ended on its own and whose end is not fatal (the optional demo).
forget_child() {
  local kept=() pid
  for pid in "${child_pids[@]}"; do [[ "$pid" == "$1" ]] || kept+=("$pid"); done
  child_pids=("${kept[@]}")
}

# stop_children: SIGTERM to every child's whole group, SIGKILL to what is left after 10 s.
stop_children() {
  local pid _
  for pid in "${child_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    local alive=0
    for pid in "${child_pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.5
  done
  for pid in "${child_pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# wait_for_first_exit: returns when any child ends, saying which; the caller's EXIT trap stops the rest.
wait_for_first_exit() {
  local ended status=0
  wait -n -p ended "${child_pids[@]}" || status=$?
  echo "${child_names[$ended]:-a child} ended (status $status): stopping the others." >&2
  return "$status"
}
