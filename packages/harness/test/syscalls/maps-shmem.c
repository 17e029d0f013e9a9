/* /proc/self/maps lists shared memory that no file backs as shmem, as Linux does: a shared
 * anonymous mapping is "/dev/zero (deleted)" on device 00:01 with 's' (not merged with a private
 * neighbour), split by mprotect with the second part's page offset; a SysV segment is
 * "/SYSV<key> (deleted)" with its id as inode; a private anonymous mapping stays nameless.
 * Printed relative to each mapping: perms, offset, device, name (shmem inode numbers are
 * arbitrary, only the SysV one is compared, with its id). */
#include "common.h"
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

static void show(const char *what, void *base, size_t len, int shmid) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  unsigned long b = (unsigned long)base;
  while (fgets(line, sizeof line, f)) {
    unsigned long s, e, off, inode;
    char perms[8], dev[16], name[256] = "";
    if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %255[^\n]", &s, &e, perms, &off, dev, &inode, name) < 6) continue;
    if (e <= b || s >= b + len) continue;
    printf("%s: +%#lx..+%#lx %s %#lx %s%s [%s]\n", what, s - b, e - b, perms, off, dev, shmid < 0 ? "" : inode == (unsigned long)shmid ? " inode=id" : " inode!=id", name);
  }
  fclose(f);
}

int main(void) {
  char *a = mmap(0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mmap(a, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  a[0] = 1;
  a[3 * 4096] = 1;
  show("shared then private", a, 4 * 4096, -1);
  mprotect(a + 4096, 4096, PROT_READ);
  show("split by mprotect", a, 4 * 4096, -1);
  char *r = mmap(0, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  show("read-only shared", r, 4096, -1);
  int id = shmget(0x5eed, 2 * 4096, IPC_CREAT | 0600);
  char *s = shmat(id, 0, 0);
  show("SysV", s, 2 * 4096, id);
  char *sr = shmat(id, 0, SHM_RDONLY);
  show("SysV read-only", sr, 2 * 4096, id);
  int priv = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  char *sp = shmat(priv, 0, 0);
  show("SysV private key", sp, 4096, priv);
  shmdt(s);
  shmdt(sr);
  shmdt(sp);
  shmctl(id, IPC_RMID, 0);
  shmctl(priv, IPC_RMID, 0);
  return 0;
}
