/* What the threads of a process share: a chdir, umask or setpgid/setsid in one thread is seen by
 * the others (CLONE_FS and the process's group and session). */
#include "common.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>

static pthread_barrier_t b;
static char start[4096];

static void *worker(void *arg) {
  (void)arg;
  mkdir("sub", 0755);
  chdir("sub");
  umask(077);
  setpgid(0, 0);
  pthread_barrier_wait(&b);
  pthread_barrier_wait(&b);
  char cwd[4096];
  getcwd(cwd, sizeof cwd);
  printf("worker sees the main thread's chdir(\"..\"): %d\n", strcmp(cwd, start) == 0);
  return 0;
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  getcwd(start, sizeof start);
  pthread_barrier_init(&b, 0, 2);
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  pthread_barrier_wait(&b);
  char cwd[4096];
  getcwd(cwd, sizeof cwd);
  printf("main sees cwd .../%s\n", strrchr(cwd, '/') + 1);
  mode_t old = umask(022);
  printf("main sees umask %03o\n", (unsigned)old);
  printf("main sees pgrp == pid: %d\n", getpgrp() == getpid());
  chdir("..");
  pthread_barrier_wait(&b);
  pthread_join(t, 0);
  FILE *f = fopen("sub/made", "w");
  fclose(f);
  struct stat st;
  stat("sub/made", &st);
  printf("file mode %03o\n", (unsigned)st.st_mode & 0777);
  return 0;
}
