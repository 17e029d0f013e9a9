/* RLIMIT_FSIZE on regular files (generic_write_check_limits, inode_newsize_ok): a write that
 * would cross the limit is cut to what fits, one at or past it raises SIGXFSZ (caught here, and
 * then ignored) and fails with EFBIG, an empty write is not checked; pwrite and writev at an
 * offset, O_APPEND (always at the end), ftruncate and truncate growing past the limit (EFBIG,
 * SIGXFSZ; shrinking and growing up to it are fine); a pipe and /dev/null are not limited.
 * Last, a child with SIGXFSZ at its default action dies of it with a core bit. */
#include "common.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>

static volatile int xfsz;
static void on_xfsz(int sig) { (void)sig; xfsz++; }

static void w(const char *what, long r) {
  printf("%s = %ld%s%s, SIGXFSZ %d\n", what, r, r < 0 ? " " : "", r < 0 ? strerrorname_np(errno) : "", xfsz);
  xfsz = 0;
}

static long size_of(int fd) {
  struct stat st;
  fstat(fd, &st);
  return (long)st.st_size;
}

int main(void) {
  char buf[300];
  memset(buf, 'x', sizeof buf);
  signal(SIGXFSZ, on_xfsz);
  struct rlimit rl = { 1000, RLIM_INFINITY };
  setrlimit(RLIMIT_FSIZE, &rl);
  int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
  for (int i = 0; i < 4; i++) w("write 300", write(fd, buf, 300));
  w("write 300 at the limit", write(fd, buf, 300));
  w("write 0 at the limit", write(fd, buf, 0));
  w("pwrite 300 at 900", pwrite(fd, buf, 300, 900));
  w("pwrite 10 at 5000", pwrite(fd, buf, 10, 5000));
  struct iovec iov[2] = { { buf, 100 }, { buf, 100 } };
  w("pwritev 200 at 950", pwritev(fd, iov, 2, 950));
  lseek(fd, 100, SEEK_SET);
  w("writev 200 at 100", writev(fd, iov, 2));
  printf("size %ld\n", size_of(fd));
  w("ftruncate 2000", ftruncate(fd, 2000));
  w("ftruncate 1000", ftruncate(fd, 1000));
  w("ftruncate 10", ftruncate(fd, 10));
  w("truncate 1001", truncate("f", 1001));
  w("truncate 999", truncate("f", 999));
  int ap = open("f", O_WRONLY | O_APPEND);
  w("O_APPEND write 300 at 999", write(ap, buf, 300));
  w("O_APPEND pwrite 300 at 0 (at the end)", pwrite(ap, buf, 300, 0));
  printf("size %ld\n", size_of(fd));
  int p[2];
  pipe(p);
  w("pipe write 300 x 5", write(p[1], buf, 300) + write(p[1], buf, 300) + write(p[1], buf, 300) + write(p[1], buf, 300) + write(p[1], buf, 300));
  int null = open("/dev/null", O_WRONLY);
  lseek(null, 5000, SEEK_SET);
  w("/dev/null write 300", write(null, buf, 300));
  signal(SIGXFSZ, SIG_IGN);
  w("ignored: write at the limit", pwrite(fd, buf, 1, 1000));
  pid_t c = fork();
  if (c == 0) {
    signal(SIGXFSZ, SIG_DFL);
    pwrite(fd, buf, 1, 1000);
    _exit(0);
  }
  int st;
  waitpid(c, &st, 0);
  printf("child: signal %d core %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0, WIFSIGNALED(st) ? WCOREDUMP(st) != 0 : 0);
  unlink("f");
  return 0;
}
