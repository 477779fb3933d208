#!/bin/sh
# Host side, step 2: boots the image once per configuration (no network, one CPU), each boot writing
# its recording as a tar stream onto a scratch disk, unpacked into $WORK/out/<config>/ after power-off.
#   WORK=/tmp/cgvm sh boot-and-record.sh [v2-systemd v2-cgroupfs v1-systemd]
set -eu
WORK=${WORK:-/tmp/cgvm}
OUT=$WORK/out
mkdir -p "$OUT"
# TCG by default: on the machine these were recorded on, nested KVM booted nothing (default CPU) or
# aborted on MSR 0x10a (-cpu host); TCG boots in ~30 s. ACCEL="-enable-kvm" to try KVM elsewhere.
accel=${ACCEL:--accel tcg}
echo "accelerator: $accel"

# apparmor=0: docker.io would load its default AppArmor profile, but apparmor_parser is not installed.
params() {
  case "$1" in
    v2-systemd | v2-cgroupfs) echo "systemd.unified_cgroup_hierarchy=1" ;;
    v1-systemd) echo "systemd.unified_cgroup_hierarchy=0 systemd.legacy_systemd_cgroup_controller=1" ;;
  esac
}

configs=${*:-v2-systemd v2-cgroupfs v1-systemd}
for config in $configs; do
  rm -f "$WORK/out-$config.img" && truncate -s 64M "$WORK/out-$config.img"
  echo "booting $config (console: $WORK/console-$config.log)"
  # shellcheck disable=SC2086
  timeout 900 qemu-system-x86_64 $accel -m 2048 -smp 1 -nic none -display none -no-reboot \
    -serial "file:$WORK/console-$config.log" -monitor none \
    -kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" \
    -drive "file=$WORK/vm.img,format=raw,if=virtio" \
    -drive "file=$WORK/out-$config.img,format=raw,if=virtio" \
    -append "root=/dev/vda rw console=ttyS0 apparmor=0 $(params "$config") portolan.record=$config" </dev/null
  rm -rf "${OUT:?}/$config"
  tar -C "$OUT" -xf "$WORK/out-$config.img" # holds ./<config>/
  grep "record\[" "$WORK/console-$config.log" || true
done
