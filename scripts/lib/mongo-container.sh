# shellcheck shell=bash
# MongoDB in the docker sandbox (issue 15 item 3): the engine-table entry for
# scripts/lib/engines.sh (rd_engine_load's "mongodb)" case calls
# rd_engine_mongodb_load) and the restore functions restore.sh dispatches to
# ("import_$DB_TYPE" …). Everything runs inside the sandbox container through
# `docker exec` — the official mongo image carries mongod, mongosh and
# mongorestore — so the host needs no MongoDB tools and the container no
# network. The root password is the container's MONGO_INITDB_ROOT_PASSWORD; it
# is referenced inside the container, never on a command line of the host.
# Collection names reach mongosh as environment variables, never as script text.
# NOT RUN HERE: no mongo image exists on these machines (see README).

# shellcheck disable=SC2034 # the engine table's variables, read by scripts/lib/container.sh
rd_engine_mongodb_load() {
  ENGINE_NAME=mongodb
  ENGINE_IMAGE="mongo:7"
  ENGINE_SOCKET_DIR=/run/restore-drill # unused by the client (docker exec), mounted all the same
  ENGINE_CAP_ADD=(CHOWN SETUID SETGID DAC_OVERRIDE)
  ENGINE_ENV=(MONGO_INITDB_ROOT_USERNAME=root MONGO_INITDB_ROOT_PASSWORD=@)
  ENGINE_SETUP=rd_engine_mongodb_setup
  ENGINE_PROBE=rd_engine_mongodb_probe
  ENGINE_VERSION_SQL=rd_engine_mongodb_version
}

# container.sh (the docker provider) defines rd_docker; restore may not have sourced it.
declare -F rd_docker >/dev/null || rd_docker() { "${RD_DOCKER:-docker}" "$@"; }

rd_mongo_container() { head -n 1 -- "${RD_SANDBOX:-$RD_RUN_DIR/sandbox}/container"; }

# mongosh inside the container as root; $1 = JavaScript (constant text), rest = NAME=VALUE for process.env.
rd_mongosh() {
  local js="$1" env_args=() kv
  shift
  for kv in "$@"; do env_args+=(--env "$kv"); done
  # shellcheck disable=SC2016 # expanded by the container's shell
  rd_docker exec -i "${env_args[@]}" "$(rd_mongo_container)" sh -c \
    'exec mongosh --quiet --norc -u root -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin --eval "$0"' "$js"
}

rd_engine_mongodb_setup() { :; } # nothing on the host: the client runs in the container
rd_engine_mongodb_probe() { rd_mongosh 'db.adminCommand({ping: 1}).ok' | grep -qx 1; }
rd_engine_mongodb_version() { rd_mongosh 'db.version()'; }

# restore: mongorestore from the stream (an archive; or a tar of a dump directory, unpacked in the container).
import_mongodb() {
  local script
  # shellcheck disable=SC2016 # expanded by the container's shell
  # shellcheck disable=SC2153 # FORMAT is restore.sh's (the dump's format from verified.json)
  if [[ "$FORMAT" == mongo-archive ]]; then
    script='exec mongorestore --quiet --drop --archive -u root -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin'
  else
    script='set -e; d=$(mktemp -d); tar -x -C "$d"; f=$(find "$d" -name "*.bson" -o -name "*.bson.gz" | head -n 1)
      [ -n "$f" ] || { echo "no .bson file in the tar" >&2; exit 1; }
      gz=; case "$f" in *.gz) gz=--gzip ;; esac
      exec mongorestore --quiet --drop $gz --dir "$(dirname "$(dirname "$f")")" -u root -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin'
  fi
  if ! stream_into rd_docker exec -i "$(rd_mongo_container)" sh -c "$script"; then
    head -n 5 -- "$RD_TMP/import.err" | sed 's/^/[mongorestore] /' >&2
    rd_fail IMPORT_SQL_ERROR "mongorestore failed: $(head -n 1 "$RD_TMP/import.err" | cut -c1-300)"
  fi
}

# "db<TAB>collection" per user collection (admin, config and local are the server's own).
list_tables_mongodb() {
  rd_mongosh 'db.adminCommand({listDatabases: 1, nameOnly: true}).databases.map(d => d.name)
    .filter(n => !["admin", "config", "local"].includes(n)).forEach(n =>
      db.getSiblingDB(n).getCollectionInfos({type: "collection"}).forEach(c => print(n + "\t" + c.name)))'
}

# Every document is read (the cursor walks them all), not just counted from metadata.
read_table_mongodb() {
  rd_mongosh 'let n = 0; const c = db.getSiblingDB(process.env.RD_DB).getCollection(process.env.RD_COLL).find().batchSize(1000);
    while (c.hasNext()) { c.next(); n++; } print(n)' "RD_DB=$1" "RD_COLL=$2"
}

# validate({full: true}) per collection; indexes counted for the report.
check_integrity_mongodb() {
  # shellcheck disable=SC2034 # restore.sh reports INTEGRITY_METHOD and INTEGRITY_DETAIL
  INTEGRITY_METHOD="validate (full)"
  local schema name out bad="" indexes="[]" nidx
  while IFS=$'\t' read -r schema name _; do
    out=$(rd_mongosh 'const r = db.getSiblingDB(process.env.RD_DB).getCollection(process.env.RD_COLL).validate({full: true});
      print((r.valid ? "valid" : "invalid") + "\t" + Object.keys(r.indexDetails || {}).length + "\t" + (r.errors || []).join("; "))' \
      "RD_DB=$schema" "RD_COLL=$name") || rd_fail INTEGRITY_UNAVAILABLE "validate could not run on $schema.$name"
    nidx=$(cut -f2 <<<"$out")
    indexes=$(jq -c --arg s "$schema" --arg n "$name" --argjson i "${nidx:-0}" '. + [{schema: $s, name: $n, indexes: $i}]' <<<"$indexes")
    [[ "$out" == valid* ]] || bad+="$schema.$name: $(cut -f3 <<<"$out" | cut -c1-200); "
  done <"$RD_TMP/tables.tsv"
  rd_fact_json indexes "$indexes"
  # shellcheck disable=SC2034
  INTEGRITY_DETAIL="${bad%; }"
}
