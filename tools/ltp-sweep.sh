#!/usr/bin/env bash
# Runs Linux Test Project syscall tests (github linux-test-project/ltp) natively and under dbtlab's
# runtimes, and prints a comparison table: per test and runtime, the verdict and the counts of
# TPASS/TFAIL/TBROK/TCONF lines, marked where they differ from native. Not run by CI (needs the LTP
# source, autotools, a 32-bit static glibc and minutes per test under dbtlab).
# Usage: tools/ltp-sweep.sh [fetch|build|run|table|all] [TEST|GLOB ...]
#   run:   runs the chosen tests (all built binaries of LTP_DIRS, or the named tests/globs, e.g.
#          'fcntl1*' mmap05), then prints the table of the tests it ran.
#   table: prints the table of everything in $LTP_WORK/out (or of the named tests) without running.
# env: LTP_WORK (default /tmp/ltp-sweep), LTP_SRC (an LTP clone or git dir; default clones github),
#   LTP_DIRS (syscall dirs), LTP_SAMPLE (1 = only the first binary of each dir),
#   RUNTIMES (default "qemu-style"; e.g. "qemu-style x86tomips-style"), LTP_TIMEOUT (seconds per
#   test under dbtlab, 120), JOBS (2), LTP_NATIVE_AGAIN (1 = rerun native even if a result exists),
#   LTP_ALL (1 = table shows equal rows too).
set -u
W=${LTP_WORK:-/tmp/ltp-sweep}; L=$W/ltp; S=$L/testcases/kernel/syscalls
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNTIMES=${RUNTIMES:-qemu-style}
DIRS=${LTP_DIRS:-"access alarm brk chdir chmod close close_range creat dup dup2 dup3 eventfd eventfd2
 faccessat fchdir fchmod fcntl fork fstat fstatat ftruncate getcwd getdents getpid getppid getrandom
 getrlimit gettid gettimeofday kill link lseek mkdir mmap mprotect munmap nanosleep open openat pipe
 pipe2 poll pread pwrite read readlink readv rename rmdir sched_yield select sigaction sigaltstack
 sigprocmask socketpair stat statx symlink time times truncate umask uname unlink wait wait4 waitpid
 write writev epoll_create1 epoll_ctl epoll_wait timerfd signalfd futex prctl getitimer setitimer
 clock_gettime clock_nanosleep sysinfo"}
fetch() { mkdir -p "$W"; [ -d "$L" ] || git clone -q --depth 1 "${LTP_SRC:-https://github.com/linux-test-project/ltp}" "$L"; }
build() {
  cd "$L" && { [ -f configure ] || make autotools; } &&
  { [ -f include/config.h ] || ./configure CC='gcc -m32' LDFLAGS='-static' --host=i686-linux-gnu --without-numa --without-tirpc >/dev/null; } &&
  nice make -C lib -j2 >/dev/null || return 1
  for d in $DIRS; do nice make -C "$S/$d" -j2 -k >"$W/make-$d.log" 2>&1 || echo "make failed: $d (some binaries)"; done
}
# Test binaries; helpers that tests exec (*_child, *_execve, fork_procs) are not tests themselves.
bins() { for d in $DIRS; do find "$S/$d" -maxdepth 1 -type f -perm -u+x ! -name '*.sh' ! -name '*_child' \
  ! -name '*_execve' ! -name fork_procs | sort | { [ "${LTP_SAMPLE:-0}" = 1 ] && head -1 || cat; }; done; }
# Keeps the binaries whose name matches one of the arguments (shell globs); all without arguments.
pick() { local b t p; while read -r b; do t=$(basename "$b"); [ $# = 0 ] && { echo "$b"; continue; }
  for p in "$@"; do case $t in $p) echo "$b"; break;; esac; done; done; }
# Verdict: worst result line printed (TBROK > TFAIL > TWARN > TPASS > TCONF), TIMEOUT, or the exit status.
verdict() { local out=$1 rc=$2
  if [ "$rc" = 124 ]; then echo TIMEOUT; return; fi
  [ "$rc" = 125 ] && { echo ERR125; return; }
  # the new API prints "TPASS:", the old one "TPASS  :"
  for v in TBROK TFAIL TWARN TPASS TCONF; do grep -Eq "$v *:" "$out" && { echo "$v"; return; }; done
  echo "rc=$rc"; }
# Result of one run: verdict and the number of PASS/FAIL/BROK/CONF lines, e.g. TFAIL:12/1/0/0.
result() { local f=$1 n c; [ -f "$f.rc" ] || { echo -; return; }; n=""
  for c in TPASS TFAIL TBROK TCONF; do n="$n/$(grep -Ec "$c *:" "$f.txt")"; done
  echo "$(verdict "$f.txt" "$(cat "$f.rc")"):${n#/}"; }
one() { local b=$1 t rt; t=$(basename "$b"); local d="$W/out/$t"; mkdir -p "$d"
  # LTP reads the kernel config through popen("zcat /proc/config.gz") unless KCONFIG_PATH names a
  # plain file: under dbtlab that is a translated shell and zcat per test, minutes on a loaded machine
  [ -f /proc/config.gz ] && [ ! -f "$W/kconfig" ] && zcat /proc/config.gz >"$W/kconfig"
  [ -f "$W/kconfig" ] && export KCONFIG_PATH=$W/kconfig
  if [ ! -f "$d/native.rc" ] || [ "${LTP_NATIVE_AGAIN:-0}" = 1 ]; then rm -rf "$d/tmp-native"; mkdir -p "$d/tmp-native"
    (cd "$d/tmp-native" && TMPDIR=$d/tmp-native timeout 120 "$b" >"$d/native.txt" 2>&1; echo $? >"$d/native.rc"); fi
  for rt in $RUNTIMES; do rm -rf "$d/tmp-$rt" "$d/$rt.rc"; mkdir -p "$d/tmp-$rt"
    (cd "$d/tmp-$rt" && TMPDIR=$d/tmp-$rt LTP_TIMEOUT_MUL=20 timeout "${LTP_TIMEOUT:-120}" nice node "$REPO/packages/harness/bin/dbtlab.js" run \
       --runtime "$rt" "$b" >"$d/$rt.txt" 2>&1; echo $? >"$d/$rt.rc"); done
  echo "done $t" >&2; }
# One row per test: native result, then each runtime's result, '*' where it differs from native
# (verdict or counts); only differing rows unless LTP_ALL=1, then a summary line.
table() { local t d nat r rt row diff same=0 differ=0
  printf '%-22s %-18s' test native; for rt in $RUNTIMES; do printf ' %-20s' "$rt"; done; echo
  for t in "$@"; do d=$W/out/$t; nat=$(result "$d/native"); row=$(printf '%-22s %-18s' "$t" "$nat"); diff=0
    for rt in $RUNTIMES; do r=$(result "$d/$rt"); [ "$r" != "$nat" ] && [ "$r" != - ] && { r="$r*"; diff=1; }
      row="$row $(printf '%-20s' "$r")"; done
    if [ $diff = 1 ]; then differ=$((differ + 1)); else same=$((same + 1)); fi
    { [ $diff = 1 ] || [ "${LTP_ALL:-0}" = 1 ]; } && echo "$row"; done
  echo "# $((same + differ)) tests: $same as native, $differ differ (runtimes: $RUNTIMES)"; }
names() { if [ $# = 0 ]; then ls "$W/out"; else for p in "$@"; do (cd "$W/out" && ls -d $p 2>/dev/null); done; fi; }
run() { export -f one; export W REPO RUNTIMES; local list; list=$(bins | pick "$@")
  echo "$list" | xargs -P "${JOBS:-2}" -I{} bash -c 'one {}'
  table $(echo "$list" | xargs -n1 basename) | tee "$W/results.txt"; }
cmd=${1:-all}; shift || true
case "$cmd" in fetch) fetch;; build) build;; run) run "$@";; table) table $(names "$@");; all) fetch && build && run;; esac
