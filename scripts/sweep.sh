#!/usr/bin/env bash
# Job "restore-drill-sweep": remove the sandboxes of builds that are over.
#
# Every sandbox has a lease (written by deploy, removed by destroy) naming its
# build and the process that ran it; see scripts/lib/sandbox.sh for the rule.
# Deploy sweeps too; this job (started by the portal's reconciler) and a run
# by hand catch what is left after Jenkins, its agent or the portal crashed.
#
# Env: RD_LEASE_DIR (node setting; default ~/.restore-drill/leases);
#      JENKINS_URL (set by Jenkins) with RD_JENKINS_USER / RD_JENKINS_TOKEN
#      (the restore-drill-sweep credential) to ask Jenkins about each build;
#      without them the holder process decides.
# Then removes sandbox containers whose lease is gone (scripts/lib/container.sh).
# Output: "swept N, kept M" and, last, "sandboxes left: K" (leases remaining).
# Example: RD_LEASE_DIR=/var/lib/rd/leases scripts/sweep.sh
if ! declare -F rd_fail >/dev/null; then
  # shellcheck source=lib/common.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
fi
if ! declare -F rd_teardown_run >/dev/null; then
  # shellcheck source=lib/sandbox.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/sandbox.sh"
fi
if ! declare -F rd_container_remove_recorded >/dev/null; then
  # shellcheck source=lib/container.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/container.sh"
fi

main() {
  trap rd_on_exit EXIT
  local dir summary left=0 lease
  dir=$(rd_lease_dir)
  if [[ -n "${RD_JENKINS_USER:-}" && -n "${JENKINS_URL:-}" ]]; then
    rd_log "asking $JENKINS_URL about each leased sandbox's build"
  else
    rd_log "no Jenkins credentials bound: the process that ran each build decides"
  fi
  summary=$(rd_sweep "")
  rd_log "$summary"
  rd_log "containers of finished runs removed: $(rd_container_sweep_orphans)"
  for lease in "$dir"/*.json; do [[ -f "$lease" ]] && left=$((left + 1)); done
  printf 'sandboxes left: %s\n' "$left"
}

main "$@"
