#!/usr/bin/env bash
# Stage "destroy": stop the sandbox and remove the whole run directory.
#
# Env: RUN_DIR, REPORT_DIR. Idempotent: succeeds when RUN_DIR is missing or
# deploy never got far. Leaves no process, socket, port or file behind.
# Refuses to delete a non-empty directory that lacks the Restore Drill marker.
# Also removes the run's lease (scripts/lib/sandbox.sh).
# Example: RUN_DIR=/tmp/run1 scripts/destroy.sh
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
  rd_stage_begin destroy
  rd_resolve_run_dir
  if [[ ! -e "$RD_RUN_DIR" ]]; then
    rd_lease_remove "$RD_RUN_DIR"
    rd_stage_pass "nothing to destroy: $RD_RUN_DIR does not exist"
    return 0
  fi
  rd_teardown_run
  rd_stage_pass "sandbox stopped and $RD_RUN_DIR removed"
}

main "$@"
