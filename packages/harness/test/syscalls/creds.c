/* Credentials as Linux keeps them: real, effective, saved and filesystem user and group ids
 * through setuid/setreuid/setresuid/setfsuid (and the gid calls), for root and after dropping
 * root (the saved id rules, EPERM), the capability sets each change keeps or clears (and
 * PR_SET_KEEPCAPS, capset), what /proc/self/status shows, files made and opened with the fsuid,
 * and what execve makes of mixed ids. Every case runs in a forked child of root. Capability sets
 * print relative to the starting ones (full, fs = its CAP_FS_MASK part, nofs = the rest, 0), which the host decides. */
#include "common.h"
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <stdlib.h>

#ifdef __i386__
#define ID(name) SYS_##name##32
#else
#define ID(name) SYS_##name
#endif
/* The 32-bit id calls on either ABI (i386's plain names are the 16-bit ones). */
#define IDS(name, ...) report(#name, syscall(ID(name), ##__VA_ARGS__))

/* CAP_CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, LINUX_IMMUTABLE, MKNOD, MAC_OVERRIDE */
static const unsigned long long FS_MASK = 0x1fULL | 1ULL << 9 | 1ULL << 27 | 1ULL << 32;
static unsigned long long full;

static unsigned long long caps(int which) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  syscall(SYS_capget, &h, d);
  unsigned long long lo = which == 0 ? d[0].effective : which == 1 ? d[0].permitted : d[0].inheritable;
  unsigned long long hi = which == 0 ? d[1].effective : which == 1 ? d[1].permitted : d[1].inheritable;
  return lo | hi << 32;
}

static const char *cls(unsigned long long c) {
  static char buf[4][32];
  static int n;
  if (c == 0) return "0";
  if (c == full) return "full";
  if (c == (full & FS_MASK)) return "fs";
  if (c == (full & ~FS_MASK)) return "nofs";
  char *b = buf[n++ % 4];
  snprintf(b, 32, "%llx", c);
  return b;
}

/* Every id, both ways (the calls and /proc/self/status), and the capability sets. */
static void show(const char *what) {
  unsigned r, e, s;
  printf("%s:", what);
  syscall(ID(getresuid), &r, &e, &s);
  printf(" uid %u %u %u fs %ld", r, e, s, syscall(ID(setfsuid), -1));
  syscall(ID(getresgid), &r, &e, &s);
  printf(" gid %u %u %u fs %ld", r, e, s, syscall(ID(setfsgid), -1));
  printf(" eff %s prm %s inh %s\n", cls(caps(0)), cls(caps(1)), cls(caps(2)));
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (fgets(line, sizeof line, f)) {
    if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4)) printf("  %s", line);
    else if (!strncmp(line, "CapInh:", 7) || !strncmp(line, "CapPrm:", 7) || !strncmp(line, "CapEff:", 7)) {
      line[6] = 0;
      printf("  %s %s\n", line, cls(strtoull(line + 7, NULL, 16)));
    }
  }
  fclose(f);
  fflush(stdout);
}

static void owner(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("%s: uid %d gid %d\n", path, (int)st.st_uid, (int)st.st_gid);
  else printf("%s: stat errno %s\n", path, strerrorname_np(errno));
  fflush(stdout);
}

static void run(void (*body)(void)) {
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  wait_child(pid);
}

/* setuid by root: all three ids and the capabilities go; nothing brings root back. */
static void setuid_root(void) {
  IDS(setuid, -1);
  IDS(setresuid, -1, -1, -1);
  IDS(setuid, 65534);
  show("setuid 65534");
  IDS(setuid, 0);
  IDS(setresuid, -1, 0, -1);
  IDS(setreuid, 0, -1);
  report("setfsuid 0", syscall(ID(setfsuid), 0));
  IDS(setuid, 65534);
  show("after refusals");
  SYS(openat, AT_FDCWD, "secret", O_RDONLY);
}

/* The saved id keeps root reachable; setreuid sets it as Linux does. */
static void saved(void) {
  IDS(setresuid, 1000, 2000, 0);
  show("setresuid 1000 2000 0");
  SYS(openat, AT_FDCWD, "secret", O_RDONLY);
  IDS(setresuid, -1, 0, -1);
  show("euid back to 0");
  IDS(setreuid, -1, 1000);
  show("setreuid -1 1000 (the real id: saved kept)");
  IDS(setreuid, -1, 0);
  show("setreuid -1 0 (not the real id: saved = 0)");
  IDS(setreuid, -1, 2000);
  show("setreuid -1 2000");
  IDS(setreuid, -1, 0);
  IDS(setuid, 1000);
  show("setuid 1000 unprivileged");
  IDS(setuid, 2000);
  IDS(setuid, 3000);
  IDS(setreuid, 2000, -1);
  show("setreuid 2000 -1");
  IDS(setreuid, 3000, -1);
  IDS(setreuid, -1, 3000);
  IDS(setresuid, 3000, -1, -1);
  IDS(setresuid, -1, -1, 1000);
  IDS(setresuid, 2000, 1000, 2000);
  show("setresuid 2000 1000 2000");
  IDS(setreuid, 1000, 2000);
  show("setreuid 1000 2000 (swap)");
}

/* The filesystem uid: follows the effective one, is what file checks and new files use. */
static void fsuid(void) {
  report("setfsuid 65534", syscall(ID(setfsuid), 65534));
  show("fsuid 65534");
  SYS(openat, AT_FDCWD, "secret", O_RDONLY);
  close(SYS(openat, AT_FDCWD, "by-fsuid", O_CREAT | O_WRONLY, 0644));
  owner("by-fsuid");
  report("setfsuid 0", syscall(ID(setfsuid), 0));
  show("fsuid 0 again");
  IDS(setresuid, -1, 1234, -1);
  show("euid 1234");
  report("setfsuid 0", syscall(ID(setfsuid), 0));
  show("fsuid 0 under euid 1234");
  SYS(openat, AT_FDCWD, "secret", O_RDONLY);
  report("setfsuid 777", syscall(ID(setfsuid), 777));
  report("setfsuid 1234", syscall(ID(setfsuid), 1234));
  IDS(setresuid, 1234, 1234, 1234);
  report("setfsuid 0 unprivileged", syscall(ID(setfsuid), 0));
  report("setfsuid 1234", syscall(ID(setfsuid), 1234));
  show("all 1234");
}

/* Group ids: the same rules under CAP_SETGID, which the effective uid decides. */
static void gids(void) {
  IDS(setresgid, 100, 200, 300);
  show("setresgid 100 200 300");
  close(SYS(openat, AT_FDCWD, "by-egid", O_CREAT | O_WRONLY, 0644));
  owner("by-egid");
  report("setfsgid 400", syscall(ID(setfsgid), 400));
  close(SYS(openat, AT_FDCWD, "by-fsgid", O_CREAT | O_WRONLY, 0644));
  owner("by-fsgid");
  IDS(setregid, -1, 300);
  show("setregid -1 300");
  IDS(setresuid, 1000, 1000, 1000);
  IDS(setgid, 100);
  show("setgid 100 unprivileged");
  IDS(setgid, 500);
  IDS(setregid, 300, -1);
  IDS(setregid, 300, 100);
  show("setregid 300 100");
  IDS(setresgid, -1, -1, 999);
  report("setfsgid 999", syscall(ID(setfsgid), 999));
  report("setfsgid 300", syscall(ID(setfsgid), 300));
  show("fsgid 300");
}

/* PR_SET_KEEPCAPS keeps the permitted set over dropping root; capset raises from it. */
static void keepcaps(void) {
  report("prctl KEEPCAPS", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
  IDS(setresuid, 1000, 1000, 1000);
  show("kept");
  SYS(openat, AT_FDCWD, "secret", O_RDONLY);
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  syscall(SYS_capget, &h, d);
  d[0].effective = d[0].permitted;
  d[1].effective = d[1].permitted;
  SYS(capset, &h, d);
  show("raised");
  SYS(openat, AT_FDCWD, "secret", O_RDONLY);
  d[0].effective = d[0].permitted = 1 << 1;
  d[1].effective = d[1].permitted = 0;
  SYS(capset, &h, d);
  show("only DAC_OVERRIDE");
  d[0].permitted = d[0].effective = 1 << 2;
  SYS(capset, &h, d);
  d[0].permitted = 1 << 1;
  d[0].inheritable = 1 << 5;
  SYS(capset, &h, d);
  d[0].effective = d[0].permitted = 0;
  d[0].inheritable = 0;
  SYS(capset, &h, d);
  show("none");
  IDS(setresuid, -1, 0, -1);
}

/* execve with mixed ids: the saved and filesystem ids become the effective ones; a real root keeps a full permitted set. */
static void exec_as(unsigned r, unsigned e, unsigned s) {
  IDS(setresuid, r, e, s);
  char *argv[] = { "creds", "exec", NULL };
  execve("/proc/self/exe", argv, NULL);
  printf("execve errno %s\n", strerrorname_np(errno));
}
static void exec1(void) { exec_as(0, 65534, 0); }
static void exec2(void) { exec_as(65534, 0, 65534); }
static void exec3(void) { exec_as(1000, 1000, 0); }

int main(int argc, char **argv) {
  full = caps(1);
  if (argc > 1) {
    show("after execve");
    printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
    return 0;
  }
  chmod(".", 0777);
  close(open("secret", O_CREAT | O_WRONLY, 0600));
  show("start");
  run(setuid_root);
  run(saved);
  run(fsuid);
  run(gids);
  run(keepcaps);
  run(exec1);
  run(exec2);
  run(exec3);
#ifdef __i386__
  /* The 16-bit calls: -1 is 0xffff, ids above 65535 show as the overflow id */
  IDS(setresuid, -1, 70000, -1);
  printf("geteuid16 %ld getuid16 %ld\n", syscall(SYS_geteuid), syscall(SYS_getuid));
  printf("setfsuid16 %ld\n", syscall(SYS_setfsuid, 0xffff));
  unsigned short r16[3];
  report("getresuid16", syscall(SYS_getresuid, &r16[0], &r16[1], &r16[2]));
  printf("  %u %u %u\n", r16[0], r16[1], r16[2]);
  report("setreuid16", syscall(SYS_setreuid, 0xffff, 0));
  report("setuid16 0xffff", syscall(SYS_setuid, 0xffff));
  report("setresuid16", syscall(SYS_setresuid, 0xffff, 65535, 0xffff));
  show("16-bit");
#else
  IDS(setresuid, -1, 70000, -1);
  IDS(setreuid, -1, 0);
  IDS(setresuid, -1, 65535, -1);
  show("16-bit");
#endif
  return 0;
}
