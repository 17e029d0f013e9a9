/* x86-64 layouts of the calls whose structures or offsets are the ABI's own: old getdents,
 * sysinfo, statfs/fstatfs, times, getrusage, getrlimit/setrlimit, truncate/ftruncate/
 * fallocate/fadvise64 with 64-bit values in one register, utime/utimes/futimesat, timer_create's
 * sigevent, uname's machine, arch_prctl's bases and the selector it clears. Values that depend on the moment or the host (times, memory, d_off, f_fsid) are
 * checked for consistency rather than printed. Run in an empty directory; x86-64 only. */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <utime.h>

struct old_dirent { unsigned long d_ino; unsigned long d_off; unsigned short d_reclen; char d_name[]; };

static void show_size(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("  size %lld\n", (long long)st.st_size);
}
static void show_times(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("  atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void dirents(void) {
  close(open("a", O_CREAT | O_WRONLY, 0644));
  mkdir("sub", 0755);
  symlink("a", "a-link-with-a-long-name");
  int fd = open(".", O_RDONLY | O_DIRECTORY);
  char buf[4096], *lines[16];
  long n = SYS(getdents, fd, buf, sizeof buf);
  int count = 0;
  for (long at = 0; at < n && count < 16; ) {
    struct old_dirent *d = (struct old_dirent *)(buf + at);
    struct stat st;
    lstat(d->d_name, &st);
    char *line = malloc(128);
    snprintf(line, 128, "  %s reclen %u type %d ino %s", d->d_name, d->d_reclen, buf[at + d->d_reclen - 1], st.st_ino == d->d_ino ? "= lstat" : "differs");
    lines[count++] = line;
    at += d->d_reclen;
  }
  qsort(lines, count, sizeof *lines, by_name);
  for (int i = 0; i < count; i++) puts(lines[i]);
  SYS(getdents, fd, buf, sizeof buf); /* at the end: 0 */
  lseek(fd, 0, SEEK_SET);
  SYS(getdents, fd, buf, 10); /* too small for one record */
  SYS(getdents, fd, BAD, sizeof buf);
  SYS(getdents, 99, buf, sizeof buf);
  int file = open("a", O_RDONLY);
  SYS(getdents, file, buf, sizeof buf);
  close(file);
  close(fd);
}

static void system_info(void) {
  struct sysinfo si;
  memset(&si, 0xa5, sizeof si);
  if (SYS(sysinfo, &si) == 0) {
    long kb = 0;
    char line[256];
    FILE *f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof line, f)) if (sscanf(line, "MemTotal: %ld kB", &kb) == 1) break;
    if (f) fclose(f);
    printf("  mem_unit %u totalram %s, freeram %s, procs %s, uptime %s\n", si.mem_unit,
           (unsigned long long)si.totalram * si.mem_unit / 1024 == (unsigned long long)kb ? "= MemTotal" : "differs",
           si.freeram <= si.totalram ? "<= totalram" : "> totalram", si.procs > 0 ? "> 0" : "0", si.uptime > 0 ? "> 0" : "<= 0");
  }
  SYS(sysinfo, BAD);
  struct tms t;
  memset(&t, 0xa5, sizeof t);
  long ticks = syscall(SYS_times, &t);
  printf("times: %s, utime %s, cutime %ld cstime %ld\n", ticks > 0 ? "> 0" : "<= 0", t.tms_utime >= 0 && t.tms_utime < 100000 ? "plausible" : "garbage", (long)t.tms_cutime, (long)t.tms_cstime);
  struct rusage ru;
  memset(&ru, 0xa5, sizeof ru);
  if (SYS(getrusage, RUSAGE_SELF, &ru) == 0) printf("  utime usec %s, stime usec %s\n", ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 ? "in range" : "garbage", ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000 ? "in range" : "garbage");
  if (SYS(getrusage, RUSAGE_CHILDREN, &ru) == 0) printf("  children utime %ld.%06ld\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
  SYS(getrusage, 5, &ru);
  SYS(getrusage, RUSAGE_SELF, BAD);
}

static void limits(void) {
  struct rlimit r = {0, 0};
  if (SYS(setrlimit, RLIMIT_CORE, &r) == 0 && SYS(getrlimit, RLIMIT_CORE, &r) == 0) printf("  core %lu %lu\n", r.rlim_cur, r.rlim_max);
  r.rlim_cur = 4096; r.rlim_max = 1 << 20;
  SYS(setrlimit, RLIMIT_NOFILE, &r);
  if (SYS(getrlimit, RLIMIT_NOFILE, &r) == 0) printf("  nofile %lu %lu\n", r.rlim_cur, r.rlim_max);
  r.rlim_cur = 10; r.rlim_max = 5;
  SYS(setrlimit, RLIMIT_NOFILE, &r);
  r.rlim_cur = r.rlim_max = 1 << 21;
  SYS(setrlimit, RLIMIT_NOFILE, &r); /* raising the hard limit: EPERM unless privileged */
  if (SYS(getrlimit, RLIMIT_AS, &r) == 0) printf("  as %lu %lu\n", r.rlim_cur, r.rlim_max);
  SYS(getrlimit, 99, &r);
  SYS(getrlimit, RLIMIT_AS, BAD);
}

static void offsets(void) {
  int fd = open("f", O_CREAT | O_RDWR, 0644);
  SYS(truncate, "f", 5); show_size("f");
  SYS(truncate, "f", 0x100000007L); show_size("f");
  SYS(truncate, "f", -1L);
  SYS(ftruncate, fd, 0x200000003L); show_size("f");
  SYS(ftruncate, fd, 3); show_size("f");
  SYS(ftruncate, fd, -1L);
  SYS(ftruncate, 99, 3);
  SYS(fallocate, fd, 0, 0x100000000L, 10); show_size("f");
  SYS(fallocate, fd, FALLOC_FL_KEEP_SIZE, 0, 0x100000000L + 9000); show_size("f");
  SYS(fallocate, fd, 0, 0, 0);
  SYS(fallocate, fd, 0, -1L, 10);
  SYS(fallocate, 99, 0, 0, 10);
  SYS(ftruncate, fd, 0);
  SYS(fadvise64, fd, 0x100000000L, 0x100000000L, POSIX_FADV_SEQUENTIAL);
  SYS(fadvise64, fd, 0, 0, 9);
  SYS(fadvise64, fd, 0, -1L, POSIX_FADV_NORMAL);
  int p[2];
  pipe(p);
  SYS(fadvise64, p[0], 0, 0, POSIX_FADV_NORMAL);
  close(p[0]); close(p[1]);
  close(fd);
}

static void file_times(void) {
  struct utimbuf ut = {1000000000, 1234567890};
  SYS(utime, "f", &ut); show_times("f");
  struct timeval tv[2] = {{5, 500000}, {0x100000000L, 7}};
  SYS(utimes, "f", tv); show_times("f");
  tv[0].tv_sec = 77;
  SYS(futimesat, AT_FDCWD, "f", tv); show_times("f");
  tv[1].tv_usec = 1000000;
  SYS(utimes, "f", tv);
  SYS(utime, "nope", &ut);
  SYS(utime, "f", BAD);
}

static void timers(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, 0);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  ev.sigev_value.sival_int = 42;
  timer_t id;
  if (SYS(timer_create, CLOCK_MONOTONIC, &ev, &id) == 0) {
    struct itimerspec its = {{0, 0}, {0, 1000000}};
    SYS(timer_settime, id, 0, &its, 0);
    siginfo_t si;
    int sig = sigwaitinfo(&set, &si);
    printf("  signal %d code %s value %d\n", sig, si.si_code == SI_TIMER ? "SI_TIMER" : "other", si.si_value.sival_int);
    SYS(timer_delete, id);
  }
  ev.sigev_notify = SIGEV_THREAD_ID;
  ev._sigev_un._tid = gettid();
  if (SYS(timer_create, CLOCK_REALTIME, &ev, &id) == 0) SYS(timer_delete, id);
  ev._sigev_un._tid = gettid() + 12345;
  SYS(timer_create, CLOCK_REALTIME, &ev, &id);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = 99;
  SYS(timer_create, CLOCK_REALTIME, &ev, &id);
  SYS(timer_create, CLOCK_REALTIME, BAD, &id);
}

/* MAP_32BIT: below 2 GiB, from 1 GiB up (Linux randomizes the start: only the window is printed); a hint below 2 GiB is honoured, one above is not */
static void map_32bit(void) {
  const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT;
  char *a = mmap(0, 8192, PROT_READ | PROT_WRITE, flags, -1, 0);
  char *b = mmap(0, 4096, PROT_READ | PROT_WRITE, flags, -1, 0);
  char *c = mmap((void *)0x50000000, 4096, PROT_READ, flags, -1, 0);
  char *d = mmap((void *)0x90000000, 4096, PROT_READ, flags, -1, 0);
  char *e = mmap((void *)0x90000000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *p[] = {a, b, c, d};
  for (int i = 0; i < 4; i++) printf("map_32bit %d: %s\n", i, (unsigned long)p[i] >= 0x40000000ul && (unsigned long)p[i] < 0x80000000ul ? "in [1 GiB, 2 GiB)" : "outside");
  printf("  hint 0x50000000: %s; hint 0x90000000 without MAP_32BIT: %s; writable: %d\n", c == (char *)0x50000000 ? "taken" : "not taken", e == (char *)0x90000000 ? "taken" : "not taken", (a[8191] = 7) + b[0]);
  SYS(mmap, 0, 0x80001000ul, PROT_READ, flags, -1, 0);
}

/* uname's machine: the 64-bit one, the 32-bit one under personality PER_LINUX32 */
static void machine(void) {
  struct utsname u;
  SYS(uname, &u);
  printf("  machine %s\n", u.machine);
  int old = SYS(personality, 0xffffffff);
  SYS(personality, PER_LINUX32);
  SYS(uname, &u);
  printf("  PER_LINUX32: machine %s\n", u.machine);
  SYS(personality, old);
  SYS(uname, &u);
  printf("  back: machine %s\n", u.machine);
}

/* arch_prctl: ARCH_SET_GS/ARCH_SET_FS load a null selector before they write the base (a
 * selector loaded earlier reads back 0), bases at or past TASK_SIZE_MAX are EPERM, unknown codes
 * EINVAL, an unwritable ARCH_GET_* pointer EFAULT. %fs is glibc's TLS: the FS case runs in one
 * asm block with a raw syscall, nothing in between touching TLS. */
static void arch_prctl_bases(void) {
  unsigned long base = 0, fs = 0;
  unsigned short sel;
  asm volatile("movw %w0, %%gs" : : "r"(0x2b));
  SYS(arch_prctl, 0x1001, 0x12345000ul);
  asm volatile("movw %%gs, %0" : "=r"(sel));
  SYS(arch_prctl, 0x1004, &base);
  printf("  ARCH_SET_GS after gs=0x2b: gs 0x%x base 0x%lx\n", sel, base);
  SYS(arch_prctl, 0x1001, 0x7ffffffff000ul);
  SYS(arch_prctl, 0x1001, 0x7fffffffe000ul);
  SYS(arch_prctl, 0x1004, &base);
  printf("  base 0x%lx\n", base);
  SYS(arch_prctl, 0x1004, BAD);
  SYS(arch_prctl, 0x1009, 0);
  SYS(arch_prctl, 0x1001, 0);
  SYS(arch_prctl, 0x1003, &fs);
  unsigned long rc;
  asm volatile("movw %w[s], %%fs\n\tsyscall\n\tmovw %%fs, %w[o]" : [o] "=r"(sel), "=a"(rc) : [s] "r"(0x2b), "a"(158), "D"(0x1002), "S"(fs) : "rcx", "r11", "memory");
  printf("  ARCH_SET_FS after fs=0x2b: %ld, fs 0x%x\n", (long)rc, sel);
}

int main(void) {
  arch_prctl_bases();
  machine();
  map_32bit();
  dirents();
  system_info();
  limits();
  offsets();
  file_times();
  timers();
  struct statfs sf;
  memset(&sf, 0xa5, sizeof sf);
  if (SYS(statfs, ".", &sf) == 0)
    printf("  type %lx bsize %ld namelen %ld frsize %ld blocks %s bfree %s spare %ld\n", (long)sf.f_type, (long)sf.f_bsize, (long)sf.f_namelen, (long)sf.f_frsize,
           sf.f_blocks > 0 ? "> 0" : "0", sf.f_bfree <= sf.f_blocks ? "<= blocks" : "> blocks", (long)sf.f_spare[0]);
  int fd = open(".", O_RDONLY);
  if (SYS(fstatfs, fd, &sf) == 0) printf("  type %lx bsize %ld\n", (long)sf.f_type, (long)sf.f_bsize);
  SYS(statfs, "nope", &sf);
  SYS(fstatfs, 99, &sf);
  SYS(statfs, ".", BAD);
  return 0;
}
