/* mremap of [vdso] (i386): only the whole [vdso] moves (a part or a smaller size is EINVAL, a
 * larger one EFAULT: it never grows); a
 * move made by a call through __kernel_vsyscall returns to the moved copy, and a handler
 * installed without SA_RESTORER returns through the moved sigreturn trampoline. After the move
 * glibc's own system calls would still enter the old place, so the rest uses int $0x80. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static long raw4(long nr, long b, long c, long d, long s) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(b), "c"(c), "d"(d), "S"(s) : "memory");
  return r;
}
static long raw(long nr, long b, long c, long d) { return raw4(nr, b, c, d, 0); }

static void say(const char *s) { raw(SYS_write, 1, (long)s, strlen(s)); }

static volatile int handled;
static void on_usr1(int sig) { handled = sig; }

int main(void) {
  char *vdso = (char *)getauxval(AT_SYSINFO_EHDR);
  char *dest = mmap(0, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  static const struct { const char *what; long off, old_len, new_len; } PARTS[] = {
    { "first page", 0, 4096, 4096 }, { "second page", 4096, 4096, 4096 }, { "whole, grown", 0, 8192, 12288 },
    { "whole, shrunk", 0, 8192, 4096 }, { "first page, grown", 0, 4096, 8192 }, { "second page, grown", 4096, 4096, 12288 },
  };
  for (unsigned i = 0; i < sizeof PARTS / sizeof PARTS[0]; i++) {
    void *r = mremap(vdso + PARTS[i].off, PARTS[i].old_len, PARTS[i].new_len, MREMAP_MAYMOVE | MREMAP_FIXED, dest);
    printf("mremap %-24s %s\n", PARTS[i].what, r == MAP_FAILED ? strerrorname_np(errno) : r == dest ? "moved" : "elsewhere");
    fflush(stdout);
  }
  fflush(stdout);
  /* the whole [vdso], through glibc's mremap (which enters by __kernel_vsyscall) */
  char *r = mremap(vdso, 8192, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, dest);
  char line[160];
  snprintf(line, sizeof line, "mremap whole: %s, ELF header there %d, old place mapped %s\n", r == dest ? "moved" : "not moved",
           memcmp(dest, "\177ELF", 4) == 0, raw(SYS_msync, (long)vdso, 4096, MS_ASYNC) == -ENOMEM ? "no" : "yes");
  say(line);
  struct { void (*handler)(int); unsigned long flags; void *restorer; unsigned long mask[2]; } sa = { on_usr1, 0, 0, { 0, 0 } };
  raw4(SYS_rt_sigaction, SIGUSR1, (long)&sa, 0, 8);
  raw(SYS_kill, raw(SYS_getpid, 0, 0, 0), SIGUSR1, 0);
  snprintf(line, sizeof line, "handler without SA_RESTORER: signal %d, returned\n", handled);
  say(line);
  raw(SYS_exit_group, 0, 0, 0);
  return 1;
}
