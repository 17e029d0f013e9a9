#!/usr/bin/env bash
# Runs Linux Test Project syscall tests (github linux-test-project/ltp) natively and under dbtlab,
# and prints one row per test: test, native verdict, dbtlab verdict. Not run by CI (needs the LTP
# source, autotools, a 32-bit static glibc and minutes per test under dbtlab).
# Usage: tools/ltp-sweep.sh [fetch|build|run|all]   env: LTP_WORK (default /tmp/ltp-sweep),
#   LTP_SRC (an LTP clone or git dir; default clones github), LTP_DIRS (syscall dirs), LTP_SAMPLE
#   (1 = only the first binary of each dir), RUNTIME (qemu-style), LTP_TIMEOUT (seconds, 120), JOBS (2).
set -u
W=${LTP_WORK:-/tmp/ltp-sweep}; L=$W/ltp; S=$L/testcases/kernel/syscalls
REPO=$(cd "$(dirname "$0")/.." && pwd)
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
bins() { for d in $DIRS; do find "$S/$d" -maxdepth 1 -type f -perm -u+x ! -name '*.sh' | sort | { [ "${LTP_SAMPLE:-0}" = 1 ] && head -1 || cat; }; done; }
# Verdict: worst result line printed (TBROK > TFAIL > TCONF > TPASS), TIMEOUT, or the exit status.
verdict() { local out=$1 rc=$2
  if [ "$rc" = 124 ]; then echo TIMEOUT; return; fi
  # the new API prints "TPASS:", the old one "TPASS  :"
  for v in TBROK TFAIL TWARN TPASS TCONF; do grep -Eq "$v *:" "$out" && { echo "$v"; return; }; done
  echo "rc=$rc"; }
one() { local b=$1 t; t=$(basename "$b"); local d="$W/out/$t"; mkdir -p "$d/tmp-n" "$d/tmp-d"
  (cd "$d/tmp-n" && TMPDIR=$d/tmp-n timeout 60 "$b" >"$d/native.txt" 2>&1; echo $? >"$d/native.rc")
  (cd "$d/tmp-d" && TMPDIR=$d/tmp-d LTP_TIMEOUT_MUL=20 timeout "${LTP_TIMEOUT:-120}" nice node "$REPO/packages/harness/bin/dbtlab.js" run \
     --runtime "${RUNTIME:-qemu-style}" "$b" >"$d/dbtlab.txt" 2>&1; echo $? >"$d/dbtlab.rc")
  printf '%-22s %-8s %-8s\n' "$t" "$(verdict "$d/native.txt" "$(cat "$d/native.rc")")" "$(verdict "$d/dbtlab.txt" "$(cat "$d/dbtlab.rc")")"; }
run() { export -f one verdict; export W REPO; rm -rf "$W/out"; bins | xargs -P "${JOBS:-2}" -I{} bash -c 'one {}' | sort | tee "$W/results.txt"; }
case "${1:-all}" in fetch) fetch;; build) build;; run) run;; all) fetch && build && run;; esac
