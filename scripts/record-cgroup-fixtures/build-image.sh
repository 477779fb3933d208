#!/bin/sh
# Host side, step 1: a Debian 12 root file system with the kernel, systemd, docker.io and busybox,
# the recording script and its unit, packed into a raw ext4 image. Needs root, debootstrap and
# e2fsprogs (mkfs.ext4 -d); only Debian's package mirror is used.
#   WORK=/tmp/cgvm MIRROR=http://deb.debian.org/debian sh build-image.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/cgvm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOTFS=$WORK/rootfs
mkdir -p "$WORK"

if [ ! -x "$ROOTFS/usr/sbin/dockerd" ]; then
  debootstrap --include=linux-image-amd64,systemd-sysv,docker.io,busybox-static,udev,kmod bookworm "$ROOTFS" "$MIRROR"
fi

echo cgvm > "$ROOTFS/etc/hostname"
printf '/dev/vda / ext4 rw,relatime 0 1\n' > "$ROOTFS/etc/fstab"
install -m 0755 "$HERE/record-cgroups.sh" "$ROOTFS/usr/local/sbin/record-cgroups.sh"
install -m 0644 "$HERE/record-cgroups.service" "$ROOTFS/etc/systemd/system/record-cgroups.service"
ln -sf /etc/systemd/system/record-cgroups.service "$ROOTFS/etc/systemd/system/multi-user.target.wants/record-cgroups.service"
# dockerd is started by the recording script, after it has written daemon.json for the configuration.
rm -f "$ROOTFS/etc/systemd/system/multi-user.target.wants/docker.service" "$ROOTFS/etc/systemd/system/sockets.target.wants/docker.socket"

# A busybox root file system for `docker import` (there is no registry in the VM).
bb=$WORK/bb-rootfs
rm -rf "$bb" && mkdir -p "$bb/bin" "$bb/tmp" "$bb/proc" "$bb/sys" "$bb/dev" "$bb/etc"
cp "$ROOTFS/bin/busybox" "$bb/bin/busybox"
for applet in $(chroot "$ROOTFS" /bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$bb/bin/$applet"; done
chmod 1777 "$bb/tmp"
mkdir -p "$ROOTFS/opt"
tar -C "$bb" -cf "$ROOTFS/opt/busybox-rootfs.tar" .

rm -f "$WORK/vm.img"
mkfs.ext4 -q -F -L cgvm -d "$ROOTFS" "$WORK/vm.img" 3G
cp "$ROOTFS"/boot/vmlinuz-* "$WORK/vmlinuz"
cp "$ROOTFS"/boot/initrd.img-* "$WORK/initrd.img"
echo "image: $WORK/vm.img, kernel: $WORK/vmlinuz, initrd: $WORK/initrd.img"
