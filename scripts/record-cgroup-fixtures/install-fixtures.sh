#!/bin/sh
# Host side, step 3: copies the files the agent and the inspector read from $WORK/out/<config>/ into
# the test fixture trees (the other recorded files stay in $WORK/out for reference).
#   WORK=/tmp/cgvm sh install-fixtures.sh
# Layout: container-id, proc/mounts, proc/4242/cgroup (4242 stands in for the container's real pid,
# which is in $WORK/out/<config>/<container>/real-pid), sys/fs/cgroup/... as mounted in the VM.
# In cgroup/<config>/, proc/4242 is the "limited" container, proc/4243 the "unlimited" one and
# proc/4244 the "inspector" one (block I/O throttled) of the same boot. In inspector/cgroup-v2-systemd/,
# proc/4242 is the "inspector" container and proc/4243 the "unlimited" one.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${WORK:-/tmp/cgvm}/out
FIX=$REPO/test/fixtures

METRICS_FILES="cgroup.controllers cpu.max cpu.stat io.stat memory.current memory.events memory.max memory.stat pids.current pids.max
  cpuacct.usage cpu.cfs_period_us cpu.cfs_quota_us memory.limit_in_bytes memory.oom_control memory.usage_in_bytes blkio.throttle.io_service_bytes_recursive"
INSPECTOR_FILES="cgroup.procs cpu.max cpu.weight cpuset.cpus cpuset.mems io.max memory.current memory.max memory.swap.max pids.current pids.max"

copy_tree() { # <recorded container dir> <fixture dir> <pid dir name> <file names>
  src=$1; dst=$2
  (cd "$src" && find sys -type f) | while read -r f; do
    case " $(echo $4) " in *" ${f##*/} "*) mkdir -p "$dst/$(dirname "$f")" && cp "$src/$f" "$dst/$f" ;; esac
  done
  mkdir -p "$dst/proc/$3" && cp "$src/proc/4242/cgroup" "$dst/proc/$3/cgroup"
}

for config in v2-systemd v2-cgroupfs v1-systemd; do
  [ -d "$OUT/$config/limited" ] || { echo "no recording for $config in $OUT" >&2; exit 1; }
  dst=$FIX/cgroup/$config
  rm -rf "$dst" && mkdir -p "$dst/proc"
  cp "$OUT/$config/limited/container-id" "$dst/container-id"
  cp "$OUT/$config/limited/proc/mounts" "$dst/proc/mounts"
  copy_tree "$OUT/$config/limited" "$dst" 4242 "$METRICS_FILES"
  copy_tree "$OUT/$config/unlimited" "$dst" 4243 "$METRICS_FILES"
  copy_tree "$OUT/$config/inspector" "$dst" 4244 "$METRICS_FILES"
  cp "$OUT/$config/provenance.txt" "$dst/provenance.txt"
done

dst=$FIX/inspector/cgroup-v2-systemd
rm -rf "$dst" && mkdir -p "$dst"
copy_tree "$OUT/v2-systemd/inspector" "$dst" 4242 "$INSPECTOR_FILES"
copy_tree "$OUT/v2-systemd/unlimited" "$dst" 4243 "$INSPECTOR_FILES"
for f in cpuset.cpus.effective cpuset.mems.effective; do cp "$OUT/v2-systemd/inspector/sys/fs/cgroup/$f" "$dst/sys/fs/cgroup/$f"; done
echo "installed into $FIX/cgroup/{v2-systemd,v2-cgroupfs,v1-systemd} and $FIX/inspector/cgroup-v2-systemd"
