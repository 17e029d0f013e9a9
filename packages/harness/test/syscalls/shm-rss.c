/* SHM_INFO's shm_rss counts the pages of SysV segments touched so far (read or written, through
 * any attachment, a forked child's too), not their size; shm_tot counts the size. Run natively
 * in a fresh IPC namespace (unshare -i) so no other segment is counted. */
#include "common.h"
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

static void info(const char *when) {
  struct shm_info si;
  long r = shmctl(0, SHM_INFO, (struct shmid_ds *)&si);
  printf("%s: %ld ids %d tot %lu rss %lu swp %lu\n", when, r, si.used_ids, (unsigned long)si.shm_tot, (unsigned long)si.shm_rss, (unsigned long)si.shm_swp);
  fflush(stdout);
}

int main(void) {
  int id = shmget(IPC_PRIVATE, 64 * 4096, IPC_CREAT | 0600);
  int id2 = shmget(IPC_PRIVATE, 5000, IPC_CREAT | 0600);
  info("created");
  volatile char *a = shmat(id, 0, 0);
  info("attached");
  a[0] = 1;
  a[4096 * 10] = 2;
  a[4096 * 10 + 5] = 3;
  info("two pages written");
  printf("read %d\n", a[4096 * 20]);
  info("one page read");
  pid_t pid = fork();
  if (pid == 0) {
    volatile char *b = shmat(id, 0, SHM_RDONLY);
    printf("child sees %d %d\n", b[0], b[4096 * 10 + 5]);
    a[4096 * 30] = 4;
    volatile char *c = shmat(id2, 0, 0);
    c[4096] = 5;
    _exit(0);
  }
  wait_child(pid);
  info("child touched two");
  printf("parent sees %d\n", a[4096 * 30]);
  shmdt((void *)a);
  info("detached");
  volatile char *again = shmat(id, 0, 0);
  printf("again %d %d\n", again[0], again[4096 * 30]);
  info("reattached");
  volatile char *anon = mmap(0, 1 << 30, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  anon[12345] = 6;
  info("anonymous shared 1 GiB");
  shmctl(id, IPC_RMID, 0);
  shmdt((void *)again);
  info("removed");
  shmctl(id2, IPC_RMID, 0);
  info("all removed");
  return 0;
}
