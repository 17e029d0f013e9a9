#!/usr/bin/env bash
# A real Linux kernel with ia32 emulation, for oracles that need Linux's own i386 ABI (initial
# stack and auxv, rt signal frames, strace of an i386 process) on a host kernel that runs i386
# programs only through qemu-i386 (booted without ia32 emulation).
#
# Debian 12's amd64 kernel boots under qemu-system-x86_64 (TCG; no /dev/kvm needed) from a
# small busybox initramfs, mounts this machine's root read-only and its /tmp read-write over
# virtio-9p, and chroots into it: the programs, strace, setarch and the test's files are this
# machine's own, only the kernel is the VM's. Jobs arrive as scripts in a queue under /tmp
# (tools/kernel-vm.cjs writes them and waits); the guest powers off after IDLE seconds without one.
#
#   kernel-vm.sh fetch    download kernel + busybox into .cache/kernel-vm, build the initramfs
#   kernel-vm.sh start    boot unless running; returns when the guest takes jobs
#   kernel-vm.sh stop     power off now
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# a machine-wide cache (like the pnpm store): a clean clone does not download the kernel again
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/dbtlab/kernel-vm
QUEUE=${DBTLAB_KERNEL_VM_QUEUE:-/tmp/dbtlab-kernel-vm}
IDLE=${DBTLAB_KERNEL_VM_IDLE:-60}
# in load order: each after what its .modinfo "depends=" names
INITRD=$CACHE/initrd-$(sha256sum "$0" | cut -c1-16).cpio.gz
MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"

fetch() {
  [ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/initrd/lib/9p.ko" ] || download
  # one initramfs per version of this script (its init and job loop come from here)
  [ -f "$INITRD" ] || initramfs
}

download() {
  command -v qemu-system-x86_64 >/dev/null && command -v cpio >/dev/null || {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq qemu-system-x86 cpio >/dev/null
  }
  rm -rf "$CACHE" && mkdir -p "$CACHE/debs" "$CACHE/x" "$CACHE/initrd/bin" "$CACHE/initrd/lib"
  local kernel
  kernel=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  (cd "$CACHE/debs" && { apt-get download -qq "$kernel" busybox-static 2>/dev/null ||
    { apt-get update -qq && apt-get download -qq "$kernel" busybox-static; }; })
  for deb in "$CACHE"/debs/*.deb; do dpkg-deb -x "$deb" "$CACHE/x"; done
  cp "$CACHE"/x/boot/vmlinuz-* "$CACHE/vmlinuz"
  cp "$CACHE/x/bin/busybox" "$CACHE/initrd/bin/busybox"
  for m in $MODULES; do
    find "$CACHE"/x/lib/modules -name "$m.ko" -exec cp {} "$CACHE/initrd/lib/" \;
    [ -f "$CACHE/initrd/lib/$m.ko" ] || { echo "kernel-vm: module $m not in $kernel" >&2; exit 1; }
  done
  rm -rf "$CACHE/x" "$CACHE/debs"
}

initramfs() {
  mkdir -p "$CACHE"/initrd/{proc,sys,dev,host}
  cat >"$CACHE/initrd/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t devtmpfs dev /dev
for m in $MODULES; do insmod /lib/\$m.ko; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /host
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 hosttmp /host/tmp
mount -t proc proc /host/proc; mount -t sysfs sys /host/sys; mount -t devtmpfs dev /host/dev; mount -t tmpfs run /host/run
# loopback up, as on any booted system (socket tests talk over 127.0.0.1 and ::1)
ip link set lo up
queue=\$(sed -n 's/.*dbtlab.queue=\([^ ]*\).*/\1/p' /proc/cmdline)
idle=\$(sed -n 's/.*dbtlab.idle=\([0-9]*\).*/\1/p' /proc/cmdline)
exec chroot /host /bin/bash -c "\$(cat /serve.sh)" serve "\$queue" "\$idle"
EOF
  { declare -f serve; echo 'serve "$@"'; } >"$CACHE/initrd/serve.sh"
  chmod +x "$CACHE/initrd/init"
  rm -f "$CACHE"/initrd*.cpio.gz   # other versions' (a booted VM holds its own in memory)
  (cd "$CACHE/initrd" && find . | cpio -o -H newc --quiet | gzip -1 >"$INITRD.tmp") && mv "$INITRD.tmp" "$INITRD"
}

running() { [ -f "$QUEUE/qemu.pid" ] && kill -0 "$(cat "$QUEUE/qemu.pid")" 2>/dev/null; }

start() {
  mkdir -p "$QUEUE"
  exec 9>"$QUEUE/lock"
  flock 9
  fetch
  # twice: a VM that powers off (idle) just as this call finds it running is booted again
  for _ in 1 2; do
    if ! running; then
      rm -f "$QUEUE/ready" "$QUEUE"/*.done
      # jobs whose writer is gone would only cost time; a live writer's job runs after the boot
      for job in "$QUEUE"/*.job; do
        [ -e "$job" ] || continue
        pid=$(basename "$job" | cut -d- -f1)
        kill -0 "$pid" 2>/dev/null || rm -f "$job"
      done
      qemu-system-x86_64 -machine q35 -cpu max -m 1024 -smp 1 -no-reboot \
        -kernel "$CACHE/vmlinuz" -initrd "$INITRD" \
        -append "console=ttyS0 quiet panic=-1 dbtlab.queue=$QUEUE dbtlab.idle=$IDLE" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs local,path=/tmp,mount_tag=hosttmp,security_model=passthrough,multidevs=remap \
        -serial "file:$QUEUE/console.log" -monitor none -display none \
        -daemonize -pidfile "$QUEUE/qemu.pid" 9>&-   # the lock is not the VM's to hold
    fi
    for _ in $(seq 1 1200); do
      [ -f "$QUEUE/ready" ] && return 0
      running || continue 2
      sleep 0.25
    done
    echo "kernel-vm: no ready signal after 300 s (see $QUEUE/console.log)" >&2
    exit 1
  done
  echo "kernel-vm: the VM stopped while booting (see $QUEUE/console.log)" >&2
  exit 1
}

stop() {
  running && kill "$(cat "$QUEUE/qemu.pid")" 2>/dev/null || true
  rm -f "$QUEUE/qemu.pid" "$QUEUE/ready"
}

# Inside the VM (copied into the initramfs): run each NAME.job with bash, stdin NAME.in, to
# NAME.out/.err/.rc, then rename it NAME.done; power off after $2 seconds without a job.
serve() {
  local QUEUE=$1 last=$SECONDS
  uname -srm >"$QUEUE/ready"
  while [ $((SECONDS - last)) -lt "$2" ]; do
    local found=0
    for job in "$QUEUE"/*.job; do
      [ -e "$job" ] || continue
      found=1
      local base=${job%.job}
      bash "$job" <"$base.in" >"$base.out" 2>"$base.err" && echo 0 >"$base.rc" || echo $? >"$base.rc"
      mv "$job" "$base.done"
    done
    [ "$found" = 1 ] && last=$SECONDS
    # look often while jobs come, seldom when idle: each look is a 9p readdir in an emulated CPU
    [ "$found" = 1 ] || sleep "$([ $((SECONDS - last)) -lt 3 ] && echo 0.1 || echo 1)"
  done
  rm -f "$QUEUE/ready"
  echo o >/proc/sysrq-trigger
}

case "${1:-}" in
  fetch) fetch && echo "$CACHE" ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: kernel-vm.sh fetch|start|stop" >&2; exit 2 ;;
esac
