#!/bin/sh
# Runs INSIDE the VM (record-cgroups.service). The kernel command line names the configuration:
#   portolan.record=v2-systemd | v2-cgroupfs | v1-systemd
# Starts dockerd with that configuration's cgroup driver, runs three busybox containers, copies the
# CONTENTS of their cgroup files (cat, not cp) into /record/<config>/<container>/ in the fixture layout
# (container-id, proc/mounts, proc/4242/cgroup, sys/fs/cgroup/...), then writes /record as a tar
# stream onto the second disk (/dev/vdb), which the host reads after power-off.
set -u
mode=$(sed -n 's/.*portolan\.record=\([a-z0-9-]*\).*/\1/p' /proc/cmdline)
out=/record/$mode
log() { echo "record[$mode]: $*"; }

case "$mode" in
  v2-systemd | v1-systemd) driver=systemd ;;
  v2-cgroupfs) driver=cgroupfs ;;
  *) log "unknown configuration '$mode'"; exit 1 ;;
esac

rm -rf /record && mkdir -p "$out"
mkdir -p /etc/docker
printf '{"exec-opts":["native.cgroupdriver=%s"]}\n' "$driver" > /etc/docker/daemon.json
systemctl start docker || { journalctl -u docker --no-pager | tail -40; exit 1; }
docker rm -f limited unlimited inspector >/dev/null 2>&1
docker image inspect portolan/busybox >/dev/null 2>&1 || docker import /opt/busybox-rootfs.tar portolan/busybox

{
  echo "recorded: $(date -u +%Y-%m-%dT%H:%M:%SZ) in a Debian 12 VM under qemu (portolan.record=$mode)"
  echo "kernel: $(uname -r)"
  echo "kernel command line: $(cat /proc/cmdline)"
  echo "systemd: $(systemctl --version | head -1)"
  echo "daemon.json: $(cat /etc/docker/daemon.json)"
  echo; echo "## docker version"; docker version
  echo; echo "## docker info"; docker info
} > "$out/provenance.txt" 2>&1
log "$(docker info --format 'Cgroup Driver: {{.CgroupDriver}}, Cgroup Version: {{.CgroupVersion}}')"

# The workload: ~2 s of CPU burn (throttled by --cpus 0.5), ~4 MB held in the shell, 2 MB written
# and fsync'ed (page cache + block I/O), optionally a child that outgrows the memory limit and is
# OOM-killed (the container's shell survives), then a marker file and sleep.
WORK='end=$(( $(date +%s) + 2 )); while [ $(date +%s) -lt $end ]; do :; done
x=$(yes xxxxxxxxxxxxxxx | head -c 2097152); x="$x$x"
dd if=/dev/zero of=/tmp/written bs=64k count=32 conv=fsync 2>/dev/null
cat /bin/busybox > /dev/null
if [ -n "${OOM:-}" ]; then (y=$(yes yyyyyyyyyyyyyyy | head -c 134217728)); fi
touch /tmp/settled
sleep 3600'

# Cold caches so the containers' reads reach the disk (io.stat / blkio rbytes).
sync; echo 3 > /proc/sys/vm/drop_caches
LIMITED="--memory 64m --cpus 0.5 --pids-limit 100 -e OOM=1"
INSPECTOR="--memory 64m --memory-swap 128m --cpus 0.5 --cpu-shares 512 --cpuset-cpus 0 --pids-limit 100 --device-read-bps /dev/vda:1mb --device-write-iops /dev/vda:120"
# shellcheck disable=SC2086
docker run -d --name limited $LIMITED portolan/busybox sh -c "$WORK"
docker run -d --name unlimited portolan/busybox sh -c "$WORK"
# shellcheck disable=SC2086
docker run -d --name inspector $INSPECTOR portolan/busybox sh -c "$WORK"
{
  echo; echo "## docker run flags"
  echo "limited:   docker run -d $LIMITED portolan/busybox sh -c \"\$WORK\""
  echo "unlimited: docker run -d portolan/busybox sh -c \"\$WORK\""
  echo "inspector: docker run -d $INSPECTOR portolan/busybox sh -c \"\$WORK\""
  echo "WORK:"; echo "$WORK"
} >> "$out/provenance.txt"
# Wait until each workload has written its marker (the burn, the writes and the OOM kill are over).
for c in limited unlimited inspector; do
  upper=$(docker inspect -f '{{.GraphDriver.Data.UpperDir}}' "$c")
  i=0; while [ ! -e "$upper/tmp/settled" ] && [ $i -lt 300 ]; do sleep 1; i=$((i + 1)); done
  log "$c settled after ${i}s more"
done
sleep 5 # the killed child's exit and the page counters catch up

# Copy every readable file of a cgroup directory (contents only).
copy_dir() { # <source dir> <dest dir>
  mkdir -p "$2"
  for f in "$1"/*; do
    [ -f "$f" ] && [ -r "$f" ] || continue
    timeout 2 cat "$f" > "$2/${f##*/}" 2>/dev/null || rm -f "$2/${f##*/}"
  done
}

record() { # <container name>
  name=$1; dest=$out/$name
  id=$(docker inspect -f '{{.Id}}' "$name"); pid=$(docker inspect -f '{{.State.Pid}}' "$name")
  mkdir -p "$dest/proc/4242"
  echo "$id" > "$dest/container-id"
  echo "$pid" > "$dest/real-pid"
  cat "/proc/$pid/cgroup" > "$dest/proc/4242/cgroup"
  cat /proc/mounts > "$dest/proc/mounts"
  docker inspect "$name" > "$dest/docker-inspect.json"
  docker ps -a --filter "name=^$name\$" > "$dest/docker-ps.txt"
  v2mount=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
  while IFS=: read -r hid controllers path; do
    if [ "$hid" = 0 ] && [ -z "$controllers" ]; then
      [ -n "$v2mount" ] || continue
      copy_dir "$v2mount$path" "$dest$v2mount$path"
      for f in cpuset.cpus.effective cpuset.mems.effective cgroup.controllers cgroup.subtree_control; do
        [ -r "$v2mount/$f" ] && cat "$v2mount/$f" > "$dest$v2mount/$f"
      done
    else
      # v1: the mount whose options hold the first controller of this line (name=systemd too).
      first=${controllers%%,*}
      mnt=$(awk -v c="$first" '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $2; exit } }' /proc/mounts)
      [ -n "$mnt" ] || continue
      copy_dir "$mnt$path" "$dest$mnt$path"
      for f in cpuset.cpus cpuset.mems cpuset.effective_cpus cpuset.effective_mems; do
        [ -r "$mnt/$f" ] && cat "$mnt/$f" > "$dest$mnt/$f"
      done
    fi
  done < "/proc/$pid/cgroup"
  log "recorded $name ($id, pid $pid)"
}
for c in limited unlimited inspector; do record "$c"; done
ls /sys/fs/cgroup > "$out/sys-fs-cgroup-ls.txt" 2>&1
journalctl -b --no-pager > "$out/journal.txt" 2>&1

tar -C /record -cf /dev/vdb . && sync
log "done"
