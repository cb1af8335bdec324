#!/usr/bin/env bash
# Pipeline step "report": merge the stage records of REPORT_DIR into
# REPORT_DIR/restore-report.json (schema: jenkins-jobs/restore-report.schema.json).
#
# Env: REPORT_DIR, RUN_ID, CALLBACK_URL and SCHEDULE_NAME (optional), and
#      Jenkins' JOB_NAME, BUILD_NUMBER, BUILD_URL, NODE_NAME when present. Exits 0 once
#      the report is written, whatever the verdict: the stage builds already
#      decided the build result. Ends with a summary block for the console
#      (and so for the failure e-mail, which quotes the console's tail).
if ! declare -F rd_fail >/dev/null; then
  # shellcheck source=lib/common.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
fi

# shellcheck disable=SC2016 # a jq program, not shell
REPORT_PROGRAM='
def rec($n): ($recs | map(select(.name == $n)) | first) // null;
def facts($n): (rec($n).facts // {});
def stage($n): rec($n) as $r
  | {name: $n, status: ($r.status // "not-run"), startedAt: ($r.startedAt // null),
     finishedAt: ($r.finishedAt // null), reasonCode: ($r.reasonCode // null), reason: ($r.reason // null)};
def verdict:
  ([ "validate", "decrypt", "deploy", "restore" ] | map(rec(.)) | map(select(. != null))
     | map(select(.status == "failed" or .status == "could-not-verify")) | first) as $bad
  | ([ "decrypt", "deploy", "restore" ] | map(select(rec(.) == null or rec(.).status == "running")) | first) as $open
  | if $bad != null then
      {verdict: $bad.status, failedStage: $bad.name, reasonCode: $bad.reasonCode, reason: $bad.reason}
    elif $open != null then
      {verdict: "could-not-verify", failedStage: $open, reasonCode: "PIPELINE_INTERRUPTED",
       reason: (if rec($open) == null then "the \($open) stage never ran (the build was aborted or a job could not start)"
                else "the \($open) stage did not finish (the build was aborted or its node died)" end)}
    else
      {verdict: "passed", failedStage: null, reasonCode: "OK",
       reason: "backup restored: \(facts("restore").tables | length) tables, \(facts("restore").totalRows) rows read, integrity check ok"}
    end;
def hours: (. / 360 | floor) / 10 | tostring + " h";
# A stale chosen file (decrypt: selection.stale) fails the run BACKUP_STALE, though it was
# restored all the same: the reason says its age, the limit and whether the old file restores.
def with_staleness: (facts("decrypt").selection // null) as $s
  | if $s == null or $s.stale != true or .verdict == "could-not-verify" and .reasonCode == "PIPELINE_INTERRUPTED" then .
    else {verdict: "failed", failedStage: "decrypt", reasonCode: "BACKUP_STALE",
          reason: ("the newest backup \($s.file) is \($s.ageSeconds | hours) old, over the limit of \($s.maxAgeHours) h; "
            + (if .verdict == "passed" then "the old file itself restores (\(.reason | sub("^backup restored: "; "")))"
               else "restoring it failed too: \(.reasonCode) - \(.reason)" end))}
    end;
def selection: (facts("decrypt").selection // null) as $s
  | if $s == null then null else $s + {restores: (if verdict.verdict == "passed" then true
                                                  elif verdict.failedStage == "restore" then false else null end)} end;
(facts("validate") + facts("decrypt")) as $b
| (verdict | with_staleness) + {
  schemaVersion: $schema,
  generatedAt: $now,
  runId: (if $runId == "" then null else $runId end),
  jenkins: {job: (if $job == "" then null else $job end),
            build: (if $build == "" then null else ($build | tonumber) end),
            url: (if $url == "" then null else $url end),
            node: (if $node == "" then null else $node end)},
  backup: {host: ($b.host // null), port: ($b.port // null), path: ($b.path // null),
           dbType: ($b.dbType // facts("restore").dbType // null), bytes: ($b.bytes // null),
           sha256: ($b.sha256 // null), encrypted: (if ($b | has("encrypted")) then $b.encrypted else null end), compression: ($b.compression // null),
           format: (facts("restore").format // null), dumpVersion: ($b.dumpVersion // null), selection: selection},
  sandbox: {provider: (facts("deploy").provider // null), engine: (facts("deploy").engine // facts("restore").engine // null),
            version: (facts("deploy").engineVersion // facts("restore").engineVersion // null),
            startSeconds: (facts("deploy").startSeconds // null)},
  stages: ([ "validate", "decrypt", "deploy", "restore", "destroy" ] | map(stage(.))),
  tables: (facts("restore").tables // $b.offlineTables // []),
  totalRows: (facts("restore").totalRows // $b.offlineRows // null),
  integrity: (facts("restore").integrity // {method: null, result: "not-run", detail: null}),
  assertions: (facts("restore").assertions // null),
  freshness: (facts("restore").freshness // null)
}'

# The portal's address, from CALLBACK_URL (<portal>/api/runs/callback[?…]).
portal_base_url() {
  local url="${CALLBACK_URL:-}"
  rd_valid_callback_url "$url" || return 1
  url="${url%%\?*}"
  [[ "$url" == http*/api/runs/callback ]] || return 1
  printf '%s' "${url%/api/runs/callback}"
}

# The run's page in the portal: /runs/<RUN_ID> for a run the portal started;
# a timer or "Run now" build has no RUN_ID, so the portal finds it by job and
# build number (app/(portal)/runs/by-build/[job]/[build]).
run_page_url() {
  local base run_id="${RUN_ID:-}" job="${JOB_NAME:-}" build="${BUILD_NUMBER:-}"
  base=$(portal_base_url) || return 1
  if [[ -n "$run_id" ]] && rd_valid_run_id "$run_id"; then
    printf '%s/runs/%s' "$base" "$run_id"
  elif [[ "$job" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ && "$build" =~ ^[1-9][0-9]{0,9}$ ]]; then
    printf '%s/runs/by-build/%s/%s' "$base" "$job" "$build"
  else
    return 1
  fi
}

# The Mailer quotes the console's tail in its failure mail, so this block —
# the last thing the build prints about the drill — is what recipients read:
# verdict, reason, schedule, and where to look.
print_summary() {
  local report="$1" line schedule="${SCHEDULE_NAME:-}" page
  local -a lines=("===== Restore Drill result =====")
  # Reasons may quote a dump line: control characters become spaces.
  # shellcheck disable=SC2016 # a jq program, not shell
  while IFS= read -r line; do lines+=("$line"); done < <(jq -r '
    def oneline: tostring | gsub("[[:cntrl:]]"; " ");
    "Verdict: \(.verdict | oneline)\(if .failedStage then " (stage \(.failedStage | oneline))" else "" end)",
    "Reason: \(.reasonCode | oneline) - \(.reason | oneline)",
    (.backup.selection // empty | "Backup file: \(.file | oneline) (\(.matches) matching, modified \(.mtime), \(.ageSeconds / 360 | floor / 10) h old"
      + (if .maxAgeHours then ", limit \(.maxAgeHours) h\(if .stale then ": STALE" else "" end))" else ")" end))' "$report")
  if [[ -n "$schedule" ]]; then
    if rd_valid_schedule_name "$schedule"; then lines+=("Schedule: $schedule"); else lines+=("Schedule: (not shown: not a valid schedule name)"); fi
  fi
  if page=$(run_page_url); then lines+=("Run page: $page"); fi
  if [[ "${BUILD_URL:-}" =~ ^https?://[[:graph:]]+$ ]]; then lines+=("Jenkins build: $BUILD_URL"); fi
  lines+=("================================")
  printf '%s\n' "${lines[@]}" >&2
}

main() {
  local dir recs="[]" f
  dir=$(rd_report_dir) || exit 2
  mkdir -p -- "$dir"
  for f in "$dir"/stage-*.json; do
    [[ -e "$f" ]] || continue
    recs=$(jq -c --slurpfile r "$f" '. + $r' <<<"$recs")
  done
  local run_id="${RUN_ID:-}"
  rd_valid_run_id "$run_id" || run_id=""
  jq -n --argjson recs "$recs" --argjson schema "$RD_REPORT_SCHEMA_VERSION" --arg now "$(rd_now)" \
    --arg runId "$run_id" --arg job "${JOB_NAME:-}" --arg build "${BUILD_NUMBER:-}" --arg url "${BUILD_URL:-}" --arg node "${NODE_NAME:-}" \
    "$REPORT_PROGRAM" >"$dir/restore-report.json.tmp"
  mv -f -- "$dir/restore-report.json.tmp" "$dir/restore-report.json"
  rd_log "report: $(jq -r '"\(.verdict) \(.reasonCode): \(.reason)"' "$dir/restore-report.json")"
  print_summary "$dir/restore-report.json"
}

main "$@"
