#!/usr/bin/env bash
# Pipeline step "report": merge the stage records of REPORT_DIR into
# REPORT_DIR/restore-report.json (schema: jenkins-jobs/restore-report.schema.json).
#
# Env: REPORT_DIR, RUN_ID (optional), and Jenkins' JOB_NAME, BUILD_NUMBER,
#      BUILD_URL when present. Exits 0 once the report is written, whatever
#      the verdict: the stage builds already decided the build result.
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
  ([ "validate", "deploy", "decrypt", "restore" ] | map(rec(.)) | map(select(. != null))
     | map(select(.status == "failed" or .status == "could-not-verify")) | first) as $bad
  | ([ "deploy", "decrypt", "restore" ] | map(select(rec(.) == null or rec(.).status == "running")) | first) as $open
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
(facts("validate") + facts("decrypt")) as $b
| verdict + {
  schemaVersion: $schema,
  generatedAt: $now,
  runId: (if $runId == "" then null else $runId end),
  jenkins: {job: (if $job == "" then null else $job end),
            build: (if $build == "" then null else ($build | tonumber) end),
            url: (if $url == "" then null else $url end)},
  backup: {host: ($b.host // null), port: ($b.port // null), path: ($b.path // null),
           dbType: ($b.dbType // facts("restore").dbType // null), bytes: ($b.bytes // null),
           sha256: ($b.sha256 // null), encrypted: (if ($b | has("encrypted")) then $b.encrypted else null end), compression: ($b.compression // null),
           format: (facts("restore").format // null)},
  sandbox: {provider: (facts("deploy").provider // null), engine: (facts("deploy").engine // facts("restore").engine // null),
            version: (facts("deploy").engineVersion // facts("restore").engineVersion // null),
            startSeconds: (facts("deploy").startSeconds // null)},
  stages: ([ "validate", "deploy", "decrypt", "restore", "destroy" ] | map(stage(.))),
  tables: (facts("restore").tables // []),
  totalRows: (facts("restore").totalRows // null),
  integrity: (facts("restore").integrity // {method: null, result: "not-run", detail: null})
}'

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
    --arg runId "$run_id" --arg job "${JOB_NAME:-}" --arg build "${BUILD_NUMBER:-}" --arg url "${BUILD_URL:-}" \
    "$REPORT_PROGRAM" >"$dir/restore-report.json.tmp"
  mv -f -- "$dir/restore-report.json.tmp" "$dir/restore-report.json"
  rd_log "report: $(jq -r '"\(.verdict) \(.reasonCode): \(.reason)"' "$dir/restore-report.json")"
}

main "$@"
