#!/usr/bin/env bash
# Builds the test images of the docker sandbox provider from Debian packages
# (no registry here): localhost/restore-drill-mariadb:10.11 and
# localhost/restore-drill-postgres:15, each a Debian bookworm rootfs made with
# mmdebstrap plus a small entrypoint honouring the official images' env.
#
# Cached on this machine: an image whose label restore-drill.inputs equals the
# hash of its build inputs (this script, the entrypoint, the package list) is
# not rebuilt. Usage: tools/container-images/build.sh [mariadb|postgres]...
# Env: RD_IMAGE_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
mirror="${RD_IMAGE_MIRROR:-http://deb.debian.org/debian}"
work=""
cleanup() { [[ -z "$work" ]] || rm -rf --one-file-system -- "$work"; }
trap cleanup EXIT

# shellcheck disable=SC2016 # the hooks are run by mmdebstrap with $1 = the rootfs
build_one() {
  local name="$1" packages tag customize
  case "$name" in
    mariadb)
      packages="mariadb-server,mariadb-client"
      tag="localhost/restore-drill-mariadb:10.11"
      customize='rm -rf "$1"/var/lib/mysql/*'
      ;;
    postgres)
      packages="postgresql-15"
      tag="localhost/restore-drill-postgres:15"
      customize='rm -rf "$1"/var/lib/postgresql/15/main "$1"/etc/postgresql/15/main'
      ;;
    *)
      echo "unknown image $name (mariadb|postgres)" >&2
      return 2
      ;;
  esac
  local inputs
  inputs=$(cat -- "$here/build.sh" "$here/$name-entrypoint.sh" <(printf '%s %s %s' "$packages" "$mirror" "$customize") | sha256sum | cut -c1-16)
  if [[ "$(podman image inspect --format '{{ index .Labels "restore-drill.inputs" }}' "$tag" 2>/dev/null || true)" == "$inputs" ]]; then
    echo "$tag is up to date ($inputs)"
    return 0
  fi
  work=$(mktemp -d /var/tmp/rd-image.XXXXXXXX)
  local started=$SECONDS
  mmdebstrap --quiet --variant=minbase --include="$packages" \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook="$customize" \
    bookworm "$work/rootfs.tar" "deb $mirror bookworm main"
  cp -- "$here/$name-entrypoint.sh" "$work/entrypoint.sh"
  printf 'FROM scratch\nADD rootfs.tar /\nCOPY entrypoint.sh /usr/local/bin/entrypoint.sh\nLABEL restore-drill.inputs=%s\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\n' \
    "$inputs" >"$work/Containerfile"
  podman build --quiet -t "$tag" -f "$work/Containerfile" "$work" >/dev/null
  rm -rf --one-file-system -- "$work"
  work=""
  echo "$tag built in $((SECONDS - started)) s ($inputs)"
}

main() {
  # One build at a time per machine: a second caller waits and then finds the cache.
  exec 8>/var/tmp/restore-drill-image-build.lock
  flock 8
  local names=("$@")
  ((${#names[@]})) || names=(mariadb postgres)
  local name
  for name in "${names[@]}"; do build_one "$name"; done
}

main "$@"
