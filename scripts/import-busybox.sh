#!/usr/bin/env bash
# Build the offline test image local/busybox:latest from the busybox-static
# binary and import it into the engine that DOCKER_HOST points to (default:
# the local engine). Idempotent: does nothing when the image already exists.
# Usage: DOCKER_HOST=unix:///path/docker.sock scripts/import-busybox.sh [--force]
set -euo pipefail

IMAGE="local/busybox:latest"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
force=0
[[ "${1:-}" == "--force" ]] && force=1

log() { echo "[env] $*"; }

if [[ $force -eq 0 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi
if [[ ! -x "$BUSYBOX" ]]; then
  echo "[env] $BUSYBOX not found (apt-get install busybox-static)" >&2
  exit 1
fi

log "importing $IMAGE into ${DOCKER_HOST:-unix:///var/run/docker.sock}"
tmp="$(mktemp -d /tmp/portolan-busybox.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
root="$tmp/rootfs"
mkdir -p "$root"/{bin,etc,tmp,root,proc,sys,dev,home,var/tmp}
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 700 "$root/root"
cp "$BUSYBOX" "$root/bin/busybox"
chmod 755 "$root/bin/busybox"
# one symlink per applet, all in /bin (PATH includes /bin)
while read -r applet; do
  [[ -z "$applet" || "$applet" == "busybox" ]] && continue
  ln -sf busybox "$root/bin/$applet"
done < <("$BUSYBOX" --list)
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP

tar --numeric-owner --owner=0 --group=0 -C "$root" -c . \
  | docker import \
      -c 'CMD ["/bin/sh"]' \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$IMAGE" >/dev/null
log "imported $IMAGE"
