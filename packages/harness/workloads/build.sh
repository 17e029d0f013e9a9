#!/usr/bin/env bash
# Builds every workload into build/ with gcc -m32 -static (the glibc ones also dynamically
# linked, into build/dyn/; those of beyond.json into build/{beyond,sse2,x86-64}/); skips outputs newer than their
# inputs. `build.sh --record` then runs each registered workload natively (the oracle) and
# writes ref/<name>.{stdout,stderr,status}, like QEMU's tests/tcg `.ref` files.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")"
mkdir -p build

# -nostdlib programs (thin/, smc/): general integer instructions only, own _start.
NOLIBC_FLAGS=(-m32 -static -nostdlib -fno-pie -no-pie -O1 -mno-sse -mno-mmx -mno-80387
  -fno-stack-protector -fno-builtin -fno-asynchronous-unwind-tables -Wall -Werror)
GLIBC_FLAGS=(-m32 -static -O2 -fno-pie -no-pie -march=i686 -Wall -Werror -lm)

# build OUT FLAGS... -- SOURCES...: compile unless OUT is newer than the sources, the shared
# header and this script.
build() {
  local out=$1; shift
  local flags=() srcs=()
  while [ "$1" != -- ]; do flags+=("$1"); shift; done; shift
  srcs=("$@")
  local dep
  if [ -e "$out" ]; then
    local stale=0
    for dep in "${srcs[@]}" include/nolibc.h build.sh; do
      [ "$dep" -nt "$out" ] && stale=1
    done
    [ $stale = 0 ] && return 0
  fi
  echo "build.sh: $out" >&2
  gcc -o "$out.tmp.$$" "${srcs[@]}" "${flags[@]}" 2>&1 | grep -v 'LOAD segment with RWX' >&2 || true
  [ -e "$out.tmp.$$" ] || { echo "build.sh: failed to build $out" >&2; exit 1; }
  mv "$out.tmp.$$" "$out"  # atomic: a concurrent run never sees half a binary
}

for src in thin/*.c; do
  name=$(basename "$src" .c)
  build "build/$name" "${NOLIBC_FLAGS[@]}" -- "$src"
done
# SMC programs put code they rewrite in an "awx" section, linked writable (-Wl,-N is not
# needed: ld gives that section its own RWX segment).
for src in smc/*.c; do
  name=$(basename "$src" .c)
  build "build/$name" "${NOLIBC_FLAGS[@]}" -- "$src"
done
for src in glibc/*.c; do
  name=$(basename "$src" .c)
  build "build/$name" "${GLIBC_FLAGS[@]}" -- "$src"
done

# The same glibc programs dynamically linked, as a distribution builds them (PIE, started
# through /lib/ld-linux.so.2 with the host's i386 multiarch libc.so.6 and libm.so.6):
# build/dyn/<name>, run from that directory as ./<name>, so they print what ref/<name> holds.
GLIBC_DYN_FLAGS=(-m32 -O2 -march=i686 -Wall -Werror -lm)
mkdir -p build/dyn
for src in glibc/*.c; do
  name=$(basename "$src" .c)
  build "build/dyn/$name" "${GLIBC_DYN_FLAGS[@]}" -- "$src"
done

# Beyond the talk's suite (beyond.json): a process tree and a pthread program (static i386);
# glibc programs built for SSE2 (-march=pentium4 -mfpmath=sse: gcc vectorises with SSE2 and
# keeps doubles in xmm registers; they need a CPU model with SSE2) and for x86-64.
mkdir -p build/beyond build/sse2 build/x86-64
for src in beyond/*.c; do
  name=$(basename "$src" .c)
  build "build/beyond/$name" "${GLIBC_FLAGS[@]}" -pthread -- "$src"
done
for name in sha256 matrix qsort strtod; do
  build "build/sse2/$name" "${GLIBC_FLAGS[@]}" -march=pentium4 -mfpmath=sse -- "glibc/$name.c"
done
for name in sha256 matrix interp qsort printf-formats many-syscalls file-io; do
  build "build/x86-64/$name" -static -O2 -Wall -Werror -lm -- "glibc/$name.c"
done

if [ "${1:-}" = --record ]; then
  cd ..
  node -r ts-node/register/transpile-only workloads/record-refs.ts
fi
