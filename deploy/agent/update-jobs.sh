#!/usr/bin/env bash
# One-shot: renders jenkins-jobs/ with Jenkins Job Builder and creates or updates the jobs in
# Jenkins as the portal's user (which holds Job/Create and Job/Configure). Never deletes a job.
set -euo pipefail

: "${JENKINS_URL:?JENKINS_URL must be set}"
: "${RESTORE_DRILL_JENKINS_API_TOKEN:?RESTORE_DRILL_JENKINS_API_TOKEN must be set (deploy/.env)}"
jobs_dir="${RESTORE_DRILL_JOBS_DIR:-/srv/restore-drill/jenkins-jobs}"

conf_dir="$(mktemp -d)"
trap 'rm -rf -- "$conf_dir"' EXIT
chmod 700 "$conf_dir"
cat >"$conf_dir/jenkins_jobs.ini" <<INI
[job_builder]
ignore_cache=True
[jenkins]
url=${JENKINS_URL}
user=restore-drill-portal
password=${RESTORE_DRILL_JENKINS_API_TOKEN}
INI
chmod 600 "$conf_dir/jenkins_jobs.ini"

for attempt in $(seq 1 60); do
  if curl -fsS -o /dev/null -u "restore-drill-portal:${RESTORE_DRILL_JENKINS_API_TOKEN}" "${JENKINS_URL%/}/api/json"; then
    break
  fi
  [[ "$attempt" -eq 60 ]] && { echo "restore-drill-update-jobs: Jenkins at ${JENKINS_URL} never answered" >&2; exit 1; }
  sleep 5
done
jenkins-jobs --conf "$conf_dir/jenkins_jobs.ini" update "$jobs_dir"
