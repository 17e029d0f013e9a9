/* What a descriptor may be used for beyond its access mode: an O_PATH descriptor refuses ioctl,
 * mmap and epoll_ctl (EBADF, as read, write, fchmod and fstat's neighbours do) but serves fchdir and fstat;
 * fchdir needs search permission on the directory (EACCES for a process that gave up root);
 * O_NOATIME needs the file's owner or CAP_FOWNER (EPERM before O_TRUNC cuts anything), at open
 * and at F_SETFL. Run as root (the natively compared run is root too). */
#include "common.h"
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

static void sizes(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("%s: size %lld\n", path, (long long)st.st_size);
}

/* An open's result without its number (the runner's descriptors differ), closed again. */
static void opened(const char *what, int fd) {
  if (fd < 0) printf("open %s = -1 %s\n", what, strerrorname_np(errno));
  else printf("open %s ok\n", what);
  if (fd >= 0) close(fd);
}

static void checks(void) {
  int d = open("noexec", O_RDONLY | O_DIRECTORY);
  printf("open noexec %s\n", d < 0 ? strerrorname_np(errno) : "ok");
  SYS(fchdir, d);
  int s = open("searchable", O_RDONLY | O_DIRECTORY);
  SYS(fchdir, s);
  SYS(chdir, "..");
  SYS(fchdir, open(".", O_PATH));
  /* O_NOATIME: a file nobody owns and one of root's it may write */
  opened("mine noatime", open("mine", O_RDONLY | O_NOATIME));
  opened("roots noatime trunc", open("roots", O_RDWR | O_NOATIME | O_TRUNC));
  sizes("roots");
  opened("new noatime", open("roots-new", O_RDWR | O_CREAT | O_NOATIME, 0644));
  int r = open("roots", O_RDWR);
  SYS(fcntl, r, F_SETFL, O_NOATIME);
  printf("flags %o\n", fcntl(r, F_GETFL) & O_NOATIME);
  int m = open("mine", O_RDWR);
  SYS(fcntl, m, F_SETFL, O_NOATIME);
  printf("flags %o\n", fcntl(m, F_GETFL) & O_NOATIME);
  SYS(fcntl, m, F_SETFL, 0);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int f = open("roots", O_CREAT | O_RDWR, 0666);
  write(f, "0123456789", 10);
  close(f);
  chmod("roots", 0666);
  close(open("mine", O_CREAT | O_RDWR, 0644));
  chown("mine", 65534, 65534);
  mkdir("noexec", 0755);
  chmod("noexec", 0744);
  mkdir("searchable", 0755);
  chmod(".", 0777);

  int p = open("roots", O_PATH);
  int pd = dup(p);
  int n;
  SYS(ioctl, p, FIONREAD, &n);
  SYS(ioctl, pd, FIONREAD, &n);
  SYS(ioctl, p, TCGETS, &n);
  printf("mmap %s\n", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p, 0) == MAP_FAILED ? strerrorname_np(errno) : "ok");
  struct epoll_event ev = { .events = EPOLLIN };
  int ep = epoll_create1(0);
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, p, &ev);
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, open("/dev/null", O_PATH), &ev);
  SYS(epoll_ctl, open("/dev/null", O_PATH), EPOLL_CTL_ADD, ep, &ev);
  printf("mmap shared %s\n", mmap(NULL, 4096, PROT_READ, MAP_SHARED, pd, 0) == MAP_FAILED ? strerrorname_np(errno) : "ok");
  struct stat st;
  printf("fstat %d\n", fstat(p, &st));
  int dp = open("searchable", O_PATH | O_DIRECTORY);
  SYS(fchdir, dp);
  SYS(chdir, "..");
  /* root (CAP_FOWNER) may set O_NOATIME on anyone's file */
  opened("mine noatime as root", open("mine", O_RDONLY | O_NOATIME));
  as_nobody(checks);
  return 0;
}
