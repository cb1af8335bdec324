#!/usr/bin/env bash
# The docker sandbox provider (SANDBOX_PROVIDER=docker): the engine runs in a
# throwaway container started through the Docker CLI — Docker itself, or
# Podman's Docker-compatible service (DOCKER_HOST=unix:///run/podman/podman.sock).
# Engine-specific parts are in scripts/lib/engines.sh.
#
# The container: memory/CPU/pids limits, --cap-drop=ALL plus the engine's few
# cap-adds, no-new-privileges, --network none (the host talks to the server
# through the sandbox's socket directory, bind-mounted), no volume (its data
# goes with it), labels naming the run directory, the Jenkins build and the
# lease. Its name is recorded in the sandbox before it starts, so destroy and
# the sweep find it whatever happened next.
#
# Node settings: RD_DOCKER (CLI; default docker), RD_CONTAINER_MEMORY (1g),
# RD_CONTAINER_CPUS (1), RD_CONTAINER_PIDS (256), RD_IMAGE_ALLOWLIST (JSON,
# see rd_container_pick_image; used when the build has no IMAGE_ALLOWLIST).
# Build parameters: SANDBOX_IMAGE, MATCH_ENGINE_VERSION (true|false),
# IMAGE_ALLOWLIST (the portal's allow-list, lib/sandbox-images/allow-list.ts).
RD_CONTAINER_LABEL=io.restore-drill.run-dir

rd_docker() { "${RD_DOCKER:-docker}" "$@"; }

# Allow-list (a manager's), as JSON: {"<DB_TYPE>": {"default": IMAGE, "images": [IMAGE…], "majors": {"<major>": IMAGE}}}.
# The portal's (IMAGE_ALLOWLIST, "TYPE=IMAGE,IMAGE… TYPE=…", the default first, "none" for an empty
# list; no braces, as JJB would read them as template variables) is binding: an image not on it is refused (IMAGE_NOT_ALLOWED), and a
# type without images there may not run in a container. Without it (a build started by hand) the
# node's RD_IMAGE_ALLOWLIST and the built-in default apply.
# Sets RD_IMAGE and RD_IMAGE_WHY (no subshell: a refusal must end the stage itself). With MATCH_ENGINE_VERSION=true the dump's
# major (REPORT_DIR/dump-version.json, written by decrypt) picks the tag.
# IMAGE_ALLOWLIST as the JSON above; the first image of each major version (from the tag) is that major's.
rd_image_allowlist_json() {
  # shellcheck disable=SC2016 # a jq program
  jq -cn --arg s "$1" '[ $s | splits(" +") | select(length > 0 and . != "none")
    | (capture("^(?<t>[a-z]+)=(?<l>[^=]+)$") // error("bad entry"))
    | .t as $t | (.l | split(",")) as $i
    | { key: $t, value: { default: $i[0], images: $i, majors: (reduce $i[] as $x ({};
        (first($x | split("@")[0] | capture(":(?<m>[0-9]+)[^:/]*$").m) // null) as $m
        | if $m != null and (has($m) | not) then .[$m] = $x else . end)) } } ] | from_entries'
}

rd_container_pick_image() {
  local db_type="$1" allow="${RD_IMAGE_ALLOWLIST:-}" binding=false version_file major="" picked=""
  if [[ -n "${IMAGE_ALLOWLIST:-}" ]]; then
    binding=true
    allow=$(rd_image_allowlist_json "$IMAGE_ALLOWLIST") ||
      rd_fail INVALID_IMAGE "IMAGE_ALLOWLIST must read TYPE=IMAGE,IMAGE… per database type"
  fi
  [[ -n "$allow" ]] || allow='{}'
  jq -e 'type == "object"' <<<"$allow" >/dev/null 2>&1 ||
    rd_fail INVALID_PARAMETER "the image allow-list is not a JSON object"
  version_file="$(rd_report_dir)/dump-version.json"
  [[ -s "$version_file" ]] && major=$(jq -r '.major // empty' "$version_file" 2>/dev/null || true)
  if [[ "${MATCH_ENGINE_VERSION:-false}" == true ]]; then
    [[ -n "$major" ]] ||
      rd_fail ENGINE_VERSION_MISMATCH "matching the backup's engine version was asked for, but the dump does not say which version made it"
    picked=$(jq -r --arg t "$db_type" --arg m "$major" '.[$t].majors[$m] // empty' <<<"$allow")
    [[ -n "$picked" ]] ||
      rd_fail ENGINE_VERSION_MISMATCH "the dump was made by $db_type $major, and the image allow-list has no image for that major version"
    RD_IMAGE_WHY="matches the dump's major version $major"
    RD_IMAGE="$picked"
    return 0
  fi
  if [[ "$binding" == true ]] && ! jq -e --arg t "$db_type" '(.[$t].images // []) | length > 0' <<<"$allow" >/dev/null; then
    rd_fail IMAGE_NOT_ALLOWED "the image allow-list has no image for $db_type; a manager adds them in the portal"
  fi
  if [[ "$binding" == true && -n "${SANDBOX_IMAGE:-}" ]] &&
    ! jq -e --arg t "$db_type" --arg i "$SANDBOX_IMAGE" '(.[$t].images // []) | index($i) != null' <<<"$allow" >/dev/null; then
    rd_fail IMAGE_NOT_ALLOWED "image $(rd_q "$SANDBOX_IMAGE") is not on the image allow-list for $db_type"
  fi
  if [[ -n "${SANDBOX_IMAGE:-}" ]]; then
    picked="$SANDBOX_IMAGE"
    RD_IMAGE_WHY="chosen for this run"
  else
    picked=$(jq -r --arg t "$db_type" '.[$t].default // empty' <<<"$allow")
    RD_IMAGE_WHY="the allow-list's default for $db_type"
    if [[ -z "$picked" ]]; then
      picked="$ENGINE_IMAGE"
      RD_IMAGE_WHY="the built-in default for $db_type"
    fi
  fi
  RD_IMAGE="$picked"
}


# The dump's major against the server's: explained, never silent.
rd_container_version_check() {
  local version_file major server_major
  version_file="$(rd_report_dir)/dump-version.json"
  [[ -s "$version_file" ]] || return 0
  major=$(jq -r '.major // empty' "$version_file" 2>/dev/null || true)
  [[ -n "$major" ]] || return 0
  server_major=${RD_ENGINE_VERSION%%.*}
  if [[ "$server_major" == "$major" ]]; then
    rd_fact_json versionMatch "$(jq -n --arg d "$major" --arg s "$server_major" '{dumpMajor: $d, sandboxMajor: $s, matched: true, reason: null}')"
  else
    rd_log "ENGINE_VERSION_MISMATCH: the dump was made by major version $major, the sandbox runs $RD_ENGINE_VERSION"
    rd_fact_json versionMatch "$(jq -n --arg d "$major" --arg s "$server_major" \
      '{dumpMajor: $d, sandboxMajor: $s, matched: false, reason: "ENGINE_VERSION_MISMATCH"}')"
  fi
}

rd_container_deploy() {
  local db_type="$1" image password name sock="$RD_SANDBOX/sock" env_args=() cap_args=() entry cap
  rd_engine_load "$db_type" || rd_fail DB_TYPE_UNSUPPORTED "the docker sandbox has no engine entry for $db_type"
  command -v "${RD_DOCKER:-docker}" >/dev/null ||
    rd_fail ENGINE_MISSING "the docker CLI (${RD_DOCKER:-docker}) is not installed on this node"
  rd_container_pick_image "$db_type"
  image="$RD_IMAGE"
  rd_valid_image "$image" || rd_fail INVALID_IMAGE "image $(rd_q "$image") is not an image reference"
  rd_log "image $image: ${RD_IMAGE_WHY:-chosen}"
  rd_fact_str image "$image"
  password=$(rd_hex_secret)
  # Unix socket paths are limited to ~107 bytes and Jenkins workspaces are long: then the mounted
  # socket directory is deploy's short private one under /tmp (recorded in the sandbox, so destroy
  # removes it), as for the local sandbox. socket_fits and make_short_socket_dir are in sandbox.sh.
  if socket_fits "$sock/.s.PGSQL.5432"; then
    mkdir -m 0755 -- "$sock"
  else
    make_short_socket_dir
    chown -- "$(id -u):$(id -g)" "$RD_SOCKET_DIR"
    chmod 0755 -- "$RD_SOCKET_DIR"
    sock="$RD_SOCKET_DIR"
  fi
  "$ENGINE_SETUP" "$RD_SANDBOX" "$sock" "$password"
  for entry in "${ENGINE_ENV[@]}"; do
    # The password reaches the container through the environment of the CLI, never its command line.
    if [[ "$entry" == *=@ ]]; then
      export "${entry%=@}=$password"
      env_args+=(--env "${entry%=@}")
    else env_args+=(--env "$entry"); fi
  done
  for cap in "${ENGINE_CAP_ADD[@]}"; do cap_args+=(--cap-add "$cap"); done
  name="restore-drill-$(printf '%s' "$RD_RUN_DIR" | sha256sum | cut -c1-12)-$(rd_hex_secret | cut -c1-6)"
  printf '%s\n' "$name" >"$RD_SANDBOX/container"
  if ! rd_docker run --detach --name "$name" --network none \
    --memory "${RD_CONTAINER_MEMORY:-1g}" --cpus "${RD_CONTAINER_CPUS:-1}" --pids-limit "${RD_CONTAINER_PIDS:-256}" \
    --cap-drop ALL "${cap_args[@]}" --security-opt no-new-privileges \
    --label "$RD_CONTAINER_LABEL=$RD_RUN_DIR" --label "io.restore-drill.lease=$(rd_lease_file "$RD_RUN_DIR")" \
    --label "io.restore-drill.build=${BUILD_URL:-by hand}" --label "io.restore-drill.run-id=${RUN_ID:-}" \
    --volume "$sock:$ENGINE_SOCKET_DIR" "${env_args[@]}" "$image" >"$RD_SANDBOX/container.id" 2>"$RD_SANDBOX/server.log"; then
    tail -n 5 -- "$RD_SANDBOX/server.log" >&2 || true
    if grep -qiE 'image not known|no such image|not found|manifest unknown|pull access denied|pinging container registry' "$RD_SANDBOX/server.log"; then
      rd_fail ENGINE_MISSING "image $image is not available on this node"
    fi
    rd_fail SANDBOX_START_FAILED "the $db_type container did not start (see above)"
  fi
  for entry in "${ENGINE_ENV[@]}"; do [[ "$entry" == *=@ ]] && unset "${entry%=@}"; done
  local deadline=$((SECONDS + SANDBOX_READY_TIMEOUT_S))
  until "$ENGINE_PROBE" >/dev/null 2>&1; do
    if [[ "$(rd_docker inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" != true ]] || ((SECONDS >= deadline)); then
      rd_log "sandbox container log (last lines):"
      rd_docker logs --tail 15 "$name" 2>&1 | sed 's/^/[container] /' >&2 || true
      rd_fail SANDBOX_START_FAILED "the $db_type container did not become ready (see its log above)"
    fi
    sleep 0.1
  done
  # shellcheck disable=SC2034 # read by deploy.sh
  RD_ENGINE="$ENGINE_NAME"
  RD_ENGINE_VERSION=$("$ENGINE_VERSION_SQL")
  # shellcheck disable=SC2034 # read by deploy.sh
  RD_CONTAINER_NAME="$name"
  rd_fact_str container "$name"
  rd_container_version_check
}

# Teardown: the container recorded in the run's sandbox, if any.
rd_container_remove_recorded() {
  local record="$RD_RUN_DIR/sandbox/container" name
  [[ -s "$record" ]] || return 0
  name=$(head -n 1 -- "$record")
  [[ "$name" =~ ^restore-drill-[0-9a-f]{12}-[0-9a-f]{6}$ ]] || return 0
  rd_log "removing sandbox container $name"
  rd_docker rm --force --volumes "$name" >/dev/null 2>&1 || true
  if rd_docker container inspect "$name" >/dev/null 2>&1; then
    rd_fail DESTROY_FAILED "could not remove the sandbox container $name"
  fi
}

# Sweep: containers of ours whose lease is gone (their run was torn down, or
# deploy died before it could record them). Prints how many it removed.
rd_container_sweep_orphans() {
  local removed=0 id lease
  command -v "${RD_DOCKER:-docker}" >/dev/null || { echo 0; return 0; }
  while read -r id lease; do
    [[ -n "$id" ]] || continue
    [[ -n "$lease" && "$lease" != "<no value>" && -e "$lease" ]] && continue
    rd_docker rm --force --volumes "$id" >/dev/null 2>&1 && removed=$((removed + 1))
  done < <(rd_docker ps --all --filter "label=$RD_CONTAINER_LABEL" \
    --format '{{.ID}} {{.Label "io.restore-drill.lease"}}' 2>/dev/null || true)
  echo "$removed"
}
