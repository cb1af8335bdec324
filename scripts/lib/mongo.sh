# shellcheck shell=bash
# MongoDB dumps (issue 15 item 3): decrypt reads the whole dump offline with
# scripts/mongo-read-dump.mjs (node + the bson package) while it streams past;
# deploy has no MongoDB server on the local provider and ends could-not-verify
# ENGINE_MISSING with the counts decrypt found. Sourced by stream.sh.
# Env (node configuration): RD_NODE — the node binary (default: node on PATH);
#      RD_MONGO_READER — scripts/mongo-read-dump.mjs installed on the agent with
#      the bson package beside it (default: beside this file, for runs by hand;
#      a Jenkins job's shell step has no "beside", so agents set it).

RD_MONGO_READER="${RD_MONGO_READER:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)/mongo-read-dump.mjs}"

# A decrypt tee branch: when the plaintext is a mongodump archive or a tar of a
# dump directory, read all of it with the bson reader into $1/mongo.json;
# otherwise drain the stream and write null.
rd_mongo_offline_read() {
  local dir="$1" hex
  hex=$(rd_head_hex 512)
  if [[ "${hex:0:8}" != 6de29981 && ! ("${hex:514:10}" == 7573746172 && "${hex:0:16}" != 746f632e64617400) ]]; then
    cat >/dev/null
    echo null | rd_put "$dir/mongo.json"
    return 0
  fi
  local node="${RD_NODE:-node}"
  if ! command -v "$node" >/dev/null 2>&1; then
    cat >/dev/null
    jq -n -c '{unavailable: "node is not installed on this agent"}' | rd_put "$dir/mongo.json"
    return 0
  fi
  { rd_unhex "$hex"; cat; } | "$node" "$RD_MONGO_READER" 2>"$dir/mongo.err" | rd_put "$dir/mongo.json"
  [[ -s "$dir/mongo.json" ]] || jq -n -c --arg e "$(head -c 300 "$dir/mongo.err")" '{unavailable: ("the reader stopped: " + $e)}' |
    rd_put "$dir/mongo.json"
}

# decrypt, once the stream is verified: judge the offline read, record its
# counts (tables/rows in the report's terms) and the versions in its header.
rd_mongo_judge() {
  local file="$1" json
  json=$(cat -- "$file")
  [[ "$json" != null ]] || return 0
  local unavailable
  unavailable=$(jq -r '.unavailable // ""' <<<"$json")
  [[ -z "$unavailable" ]] || rd_fail MONGO_READER_UNAVAILABLE "the MongoDB dump could not be read offline: $unavailable"
  if jq -e '.error' >/dev/null <<<"$json"; then
    rd_fail "$(jq -r .error.code <<<"$json")" "$(jq -r '"\(.error.message)" +
      (if .error.collection then " (collection \(.error.collection)" else " (" end) + ", byte offset \(.error.offset))"' <<<"$json")"
  fi
  rd_fact_json offlineRead "$(jq -c '{reader: "bson", format, header, totalDocuments,
    collections: [.collections[] | {db, name, documents, bytes, indexes}]}' <<<"$json")"
  rd_fact_json offlineTables "$(jq -c '[.collections[] | {schema: .db, name: .name, rows: .documents}]' <<<"$json")"
  rd_fact_json offlineRows "$(jq -c .totalDocuments <<<"$json")"
  rd_log "read the whole MongoDB dump offline: $(jq -r '"\(.collections | length) collections, \(.totalDocuments) documents"' <<<"$json")"
}

# The dump-version object for a MongoDB dump, from the archive header: tool
# mongodump and its version; "major" is the source server's major version (the
# image a restore needs), "archiveVersion" the archive format version.
rd_mongo_dump_version() {
  local file="$1" base="$2"
  jq -c --slurpfile m "$file" '. as $b | ($m[0] // {}) as $r | if ($r.format // null) == null then $b else
    {engine: "mongodb", tool: "mongodump", toolVersion: ($r.header.toolVersion // null),
     major: ($r.header.serverVersion // null | if . == null then null else split(".")[0] end),
     archiveVersion: ($r.header.version // null)} end' <<<"$base"
}

# deploy on the local provider: there is no MongoDB server to start. The
# offline read (decrypt, which runs before deploy) stays in the report.
rd_mongo_local_deploy() {
  local verified="$RD_RUN_DIR/backup/verified.json" found=""
  [[ ! -s "$verified" ]] || found=$(jq -r '.offlineRead // empty |
    "; the offline read found \(.collections | length) collections and \(.totalDocuments) documents"' "$verified")
  rd_fail ENGINE_MISSING "no MongoDB server is available to the local provider: a MongoDB restore needs SANDBOX_PROVIDER=docker and a mongo image${found}"
}

if ! declare -F rd_engine_mongodb_load >/dev/null; then
  # shellcheck source=mongo-container.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/mongo-container.sh"
fi
