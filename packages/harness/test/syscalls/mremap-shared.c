/* mremap of shared mappings (MAP_SHARED|MAP_ANONYMOUS and SysV shm): moved, grown in place or
 * shrunk, they stay mappings of the same pages, so stores made by another process (before the move
 * to pages this one never touched, or after it) are seen through the new address. */
#include "common.h"
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>

#define PG 4096

static void child_stores(char *at, const char *what) {
  if (fork() == 0) {
    for (int i = 0; what[i]; i++)
      if (what[i] != '.') at[i * PG] = what[i];
    _exit(0);
  }
  wait(0);
}

static void show(const char *when, const char *p, int pages) {
  printf("%s:", when);
  for (int i = 0; i < pages; i++) printf(" %c", p[i * PG] ? p[i * PG] : '0');
  printf("\n");
}

int main(void) {
  char *p = mmap(0, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  char *block = mmap(0, 16 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(block + 8 * PG, 8 * PG); /* a hole: p cannot grow into its neighbour */
  p[0] = 'a';
  child_stores(p, ".bc");
  char *q = mremap(p, 3 * PG, 6 * PG, MREMAP_MAYMOVE);
  printf("moved %d\n", q != p);
  show("after move", q, 3);
  child_stores(q, "A.C");
  show("child after move", q, 3);
  char *r = mremap(q, 3 * PG, 2 * PG, 0);
  printf("shrunk in place %d\n", r == q);
  child_stores(r, ".B");
  show("after shrink", r, 2);

  int id = shmget(IPC_PRIVATE, 4 * PG, IPC_CREAT | 0600);
  char *s = shmat(id, 0, 0);
  child_stores(s, "wxyz");
  char *t = mremap(s, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, block + 8 * PG);
  printf("shm moved %d\n", t == block + 8 * PG);
  show("shm after move", t, 4);
  child_stores(t, "W..Z");
  show("shm child after move", t, 4);
  printf("shmdt moved %d\n", shmdt(t));
  shmctl(id, IPC_RMID, 0);
  return 0;
}
