#!/usr/bin/env bash
# The oracle for i386 programs is native execution. A kernel booted without ia32 emulation
# (ia32_emulation=off, or built without it) cannot run them: then, and only then, qemu-i386 is
# registered with binfmt_misc (QEMU's own -binfmt-P argv0-preserving name, CPU model "max"),
# so every "native" i386 run in the tests goes through QEMU instead of failing with ENOEXEC.
# Tests that need Linux's own i386 ABI (initial stack, signal frame, real strace lines) ask
# i386RunsNatively() and say where they cannot be checked. Idempotent; needs root.
set -euo pipefail
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '.globl _start\n_start: movl $1, %%eax\n xorl %%ebx, %%ebx\n int $0x80\n' > "$probe/exit.s"
gcc -m32 -nostdlib -static -o "$probe/exit" "$probe/exit.s"
if "$probe/exit" 2>/dev/null; then exit 0; fi
entry=/proc/sys/fs/binfmt_misc/qemu-i386
[ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
if [ ! -e "$entry" ]; then
  echo "setup: this kernel does not run i386 binaries; registering qemu-i386 with binfmt_misc as their oracle" >&2
  mkdir -p /usr/libexec/qemu-binfmt
  ln -sf /usr/bin/qemu-i386 /usr/libexec/qemu-binfmt/i386-binfmt-P
  echo ':qemu-i386:M::\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00:\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/libexec/qemu-binfmt/i386-binfmt-P:OCPF' >/proc/sys/fs/binfmt_misc/register
fi
echo 1 >"$entry"
"$probe/exit"
