/* A process tree: 4 workers forked, each sums its share of 1..200000 and sends the sum
 * through its own pipe; the last re-executes /proc/self/exe (as busybox does for an applet in
 * a pipeline) to compute its share; the parent waits for each in order and checks statuses.
 * Prints only what does not depend on pids or scheduling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 4
#define N 200000L

static long long share(int k) {
  long long s = 0;
  for (long i = k + 1; i <= N; i += WORKERS) s += i * (i % 7);
  return s;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--share") == 0) {  /* the re-executed worker */
    printf("%lld\n", share(atoi(argv[2])));
    return 0;
  }
  int fds[WORKERS][2];
  pid_t pids[WORKERS];
  for (int k = 0; k < WORKERS; k++) {
    if (pipe(fds[k]) != 0) return perror("pipe"), 1;
    pids[k] = fork();
    if (pids[k] < 0) return perror("fork"), 1;
    if (pids[k] == 0) {
      close(fds[k][0]);
      if (dup2(fds[k][1], 1) < 0) _exit(2);
      if (k == WORKERS - 1) {
        char arg[16];
        snprintf(arg, sizeof arg, "%d", k);
        execl("/proc/self/exe", argv[0], "--share", arg, (char *)0);
        _exit(3);
      }
      printf("%lld\n", share(k));
      fflush(stdout);
      _exit(10 + k);
    }
    close(fds[k][1]);
  }
  long long total = 0;
  for (int k = 0; k < WORKERS; k++) {
    char buf[64] = {0};
    ssize_t n = read(fds[k][0], buf, sizeof buf - 1);
    close(fds[k][0]);
    int status;
    if (n <= 0 || waitpid(pids[k], &status, 0) != pids[k]) return perror("worker"), 1;
    long long s = atoll(buf);
    total += s;
    printf("worker %d: sum %lld, exit %d\n", k, s, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  printf("total %lld (expected %lld)\n", total, share(0) + share(1) + share(2) + share(3));
  return 0;
}
