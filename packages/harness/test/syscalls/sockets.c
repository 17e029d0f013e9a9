/* AF_UNIX sockets between processes: socketpair (stream, datagram, seqpacket), a listening
 * socket by abstract name with connect/accept, SCM_RIGHTS descriptor passing, EOF and
 * shutdown, EPIPE/SIGPIPE, MSG_PEEK/MSG_DONTWAIT/MSG_TRUNC, poll; i386's socketcall and the
 * direct calls; errno on bad arguments. Prints no inode numbers, pids or addresses. */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

static void show(const char *what, long r) { report(what, r); }

static int pollmask(int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
  poll(&p, 1, 0);
  return p.revents;
}

/* sendmsg of one byte with fd in an SCM_RIGHTS message */
static long sendmsg_fd(int sock, int fd, char byte) {
  struct iovec iov = {&byte, 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = u.buf;
  m.msg_controllen = sizeof u.buf;
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return sendmsg(sock, &m, 0);
}

static void send_fd(int sock, int fd) {
  show("sendmsg rights", sendmsg_fd(sock, fd, 'F'));
}

static int recv_fd(int sock, size_t room) {
  char byte = 0;
  struct iovec iov = {&byte, 1};
  char buf[64];
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = buf;
  m.msg_controllen = room;
  long n = recvmsg(sock, &m, 0);
  struct cmsghdr *c = room ? CMSG_FIRSTHDR(&m) : 0;
  int fd = -1;
  if (c && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
  printf("recvmsg %ld byte '%c' controllen %d flags %#x fd %s\n", n, byte, (int)m.msg_controllen, m.msg_flags, fd >= 0 ? "yes" : "no");
  return fd;
}

static void pairs(void) {
  int sv[2];
  show("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, sv));
  show("socketpair bad type", socketpair(AF_UNIX, 9, 0, sv));
  show("socketpair bad proto", socketpair(AF_UNIX, SOCK_STREAM, 7, sv));
  show("socketpair EFAULT", socketpair(AF_UNIX, SOCK_STREAM, 0, BAD));
  show("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  struct stat st;
  fstat(sv[0], &st);
  printf("fstat socket %d mode %o\n", S_ISSOCK(st.st_mode), (unsigned)st.st_mode & 0777);
  printf("poll fresh %#x\n", pollmask(sv[0]));
  char c = 'x';
  show("pwrite socket", pwrite(sv[0], &c, 1, 0));
  show("pread socket", pread(sv[1], &c, 1, 0));
  show("lseek socket", lseek(sv[0], 0, SEEK_SET));
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    write(sv[1], "hello ", 6);
    send(sv[1], "world", 5, 0);
    /* a pipe's read end through SCM_RIGHTS */
    int p[2];
    pipe(p);
    write(p[1], "through the pipe", 16);
    close(p[1]);
    send_fd(sv[1], p[0]);
    close(p[0]);
    _exit(0);
  }
  close(sv[1]);
  wait_child(pid);
  printf("poll with data %#x\n", pollmask(sv[0]));
  char buf[64] = {0};
  show("recv peek", recv(sv[0], buf, 3, MSG_PEEK));
  printf("peeked '%.3s'\n", buf);
  show("read", read(sv[0], buf, 8));
  printf("got '%.8s'\n", buf);
  show("recv rest", recv(sv[0], buf, 3, 0));
  int fd = recv_fd(sv[0], 64);
  memset(buf, 0, sizeof buf);
  show("read passed pipe", read(fd, buf, sizeof buf));
  printf("pipe gave '%s'\n", buf);
  show("recv at EOF", recv(sv[0], buf, 10, 0));
  printf("poll at EOF %#x\n", pollmask(sv[0]));
  signal(SIGPIPE, SIG_IGN);
  show("send to closed peer", send(sv[0], "x", 1, 0));
  show("send MSG_NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
  close(sv[0]);
  close(fd);
  /* SIGPIPE kills a child that writes to a closed peer */
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  close(sv[1]);
  pid = fork();
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    write(sv[0], "x", 1);
    _exit(0);
  }
  wait_child(pid);
  close(sv[0]);
  /* shutdown(SHUT_WR): the peer reads EOF, can still send back */
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  show("shutdown wr", shutdown(sv[0], SHUT_WR));
  show("shutdown bad", shutdown(sv[0], 5));
  show("peer recv after shutdown", recv(sv[1], buf, 10, MSG_DONTWAIT));
  printf("poll peer %#x\n", pollmask(sv[1]));
  show("send after own shutdown", send(sv[0], "x", 1, 0));
  show("peer sends back", send(sv[1], "ok", 2, 0));
  show("recv it", recv(sv[0], buf, 10, 0));
  show("recv nothing dontwait", recv(sv[0], buf, 10, MSG_DONTWAIT));
  close(sv[0]);
  close(sv[1]);
  /* datagrams keep their boundaries; MSG_TRUNC */
  show("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
  send(sv[0], "first", 5, 0);
  send(sv[0], "second", 6, 0);
  send(sv[0], "third!", 6, 0);
  show("recv dgram 3 of 5", recv(sv[1], buf, 3, 0));
  show("recv dgram MSG_TRUNC", recv(sv[1], buf, 2, MSG_TRUNC));
  char small[4];
  struct iovec iov = {small, sizeof small};
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  show("recvmsg dgram", recvmsg(sv[1], &m, 0));
  printf("flags %#x\n", m.msg_flags);
  show("recv empty dgram dontwait", recv(sv[1], buf, 10, MSG_DONTWAIT));
  close(sv[0]);
  close(sv[1]);
  /* seqpacket: boundaries, EOF as 0 */
  show("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
  send(sv[0], "ab", 2, 0);
  send(sv[0], "cde", 3, 0);
  close(sv[0]);
  show("seq recv 1", recv(sv[1], buf, 10, 0));
  show("seq recv 2", recv(sv[1], buf, 10, 0));
  show("seq recv eof", recv(sv[1], buf, 10, 0));
  close(sv[1]);
  /* a control buffer too small for the descriptor: MSG_CTRUNC */
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  send_fd(sv[0], 1);
  recv_fd(sv[1], 8);
  show("sendmsg bad fd", sendmsg_fd(sv[0], 999, 'x'));
  int type = 0;
  socklen_t len = sizeof type;
  show("getsockopt SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len));
  printf("type %d len %d\n", type, (int)len);
  show("getsockopt bad", getsockopt(sv[0], SOL_SOCKET, 9999, &type, &len));
  show("getsockopt not a socket", getsockopt(1, SOL_SOCKET, SO_TYPE, &type, &len) < 0 && errno == ENOTSOCK ? -1 : 0);
  close(sv[0]);
  close(sv[1]);
}

static void named(const char *label, struct sockaddr_un *addr, socklen_t alen) {
  int srv = socket(AF_UNIX, SOCK_STREAM, 0);
  char buf[64] = {0};
  printf("-- %s\n", label);
  show("connect before bind", ({
         int c = socket(AF_UNIX, SOCK_STREAM, 0);
         long r = connect(c, (struct sockaddr *)addr, alen);
         close(c);
         r;
       }));
  show("listen unbound", listen(srv, 5));
  show("accept not listening", accept(srv, 0, 0));
  show("recv unconnected", recv(srv, buf, 1, 0));
  show("send unconnected", send(srv, "x", 1, MSG_NOSIGNAL));
  show("bind", bind(srv, (struct sockaddr *)addr, alen));
  show("bind again", bind(srv, (struct sockaddr *)addr, alen));
  int other = socket(AF_UNIX, SOCK_STREAM, 0);
  show("bind name in use", bind(other, (struct sockaddr *)addr, alen));
  close(other);
  show("connect not listening", ({
         int c = socket(AF_UNIX, SOCK_STREAM, 0);
         long r = connect(c, (struct sockaddr *)addr, alen);
         close(c);
         r;
       }));
  show("listen", listen(srv, 5));
  struct sockaddr_un got;
  socklen_t glen = sizeof got;
  show("getsockname", getsockname(srv, (struct sockaddr *)&got, &glen));
  printf("name len %d same %d\n", (int)glen, glen == alen && memcmp(&got, addr, alen) == 0);
  int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
  show("connect wrong type", connect(dg, (struct sockaddr *)addr, alen));
  close(dg);
  fcntl(srv, F_SETFL, O_NONBLOCK);
  show("accept nothing pending", accept(srv, 0, 0));
  fcntl(srv, F_SETFL, 0);
  pid_t pid = fork();
  if (pid == 0) {
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    int r = connect(c, (struct sockaddr *)addr, alen);
    printf("child connect %d\n", r);
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    getpeername(c, (struct sockaddr *)&peer, &plen);
    printf("child peer name same %d\n", plen == alen && memcmp(&peer, addr, alen) == 0);
    fflush(stdout);
    send(c, "ping", 4, 0);
    char b[8] = {0};
    recv(c, b, sizeof b, 0);
    printf("child got '%s'\n", b);
    _exit(0);
  }
  struct sockaddr_un caddr;
  socklen_t clen = sizeof caddr;
  /* the parent prints after the child is gone (who prints first is up to the scheduler) */
  int conn = accept(srv, (struct sockaddr *)&caddr, &clen);
  const char *accepted = conn >= 0 ? "ok" : strerrorname_np(errno);
  glen = sizeof got;
  getsockname(conn, (struct sockaddr *)&got, &glen);
  int same = glen == alen && memcmp(&got, addr, alen) == 0;
  long ping = recv(conn, buf, sizeof buf, 0);
  long pong = send(conn, "pong", 4, 0);
  wait_child(pid);
  printf("accept %s client addrlen %d\n", accepted, (int)clen);
  printf("accepted socket's name same %d\n", same);
  show("recv ping", ping);
  show("send pong", pong);
  show("recv after child exit", recv(conn, buf, sizeof buf, 0));
  show("getpeername unconnected", getpeername(srv, (struct sockaddr *)&got, &glen));
  close(conn);
  close(srv);
}

static void multiplexed(void) {
  int sv[2];
#ifndef SYS_socketcall
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv); /* x86-64 has no socketcall */
  char buf[8] = {0};
#else
  /* socketcall(2) by hand: SOCKETPAIR, SEND, RECV; a bad call number */
  unsigned long args[6] = {AF_UNIX, SOCK_STREAM, 0, (unsigned long)sv};
  show("socketcall socketpair", syscall(SYS_socketcall, 8, args));
  char buf[8] = {0};
  unsigned long sargs[4] = {sv[0], (unsigned long)"mux", 3, 0};
  show("socketcall send", syscall(SYS_socketcall, 9, sargs));
  unsigned long rargs[4] = {sv[1], (unsigned long)buf, sizeof buf, 0};
  show("socketcall recv", syscall(SYS_socketcall, 10, rargs));
  printf("got '%s'\n", buf);
  show("socketcall bad call", syscall(SYS_socketcall, 21, args));
  show("socketcall args EFAULT", syscall(SYS_socketcall, 8, BAD));
#endif
  /* the direct i386 calls */
  show("direct socket", syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) >= 0 ? 0 : -1);
  show("direct socket inet6", syscall(SYS_socket, 99, SOCK_STREAM, 0));
  show("direct sendto", syscall(SYS_sendto, sv[0], "d", 1, 0, 0, 0));
  show("direct recvfrom", syscall(SYS_recvfrom, sv[1], buf, 8, 0, 0, 0));
  show("direct accept4 bad flags", syscall(SYS_accept4, sv[0], 0, 0, 1));
  show("direct shutdown", syscall(SYS_shutdown, sv[0], SHUT_RDWR));
  printf("poll after shutdown rdwr %#x\n", pollmask(sv[0]));
  show("not a socket", syscall(SYS_shutdown, 0, SHUT_RD) < 0 && errno == ENOTSOCK ? -1 : 0);
}

/* readlink of /proc/self/fd/N names what the descriptor is (the inode number left out) */
static void fdlinks(void) {
  int sv[2], p[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  pipe(p);
  int e = eventfd(0, 0);
  int f = open("/proc/self/exe", O_RDONLY);
  int fds[] = {sv[0], p[0], e, f};
  for (int i = 0; i < 4; i++) {
    char path[64], link[256] = {0};
    snprintf(path, sizeof path, "/proc/self/fd/%d", fds[i]);
    long n = readlink(path, link, sizeof link - 1);
    char *br = strncmp(link, "anon_inode:", 11) ? strchr(link, '[') : 0;
    if (br) *br = 0;
    char *slash = strrchr(link, '/');
    printf("fd link %ld '%s'\n", n > 0 ? 1L : n, slash && link[0] == '/' ? slash + 1 : link);
  }
  char link[64];
  show("readlink closed fd", readlink("/proc/self/fd/900", link, sizeof link));
  close(sv[0]), close(sv[1]), close(p[0]), close(p[1]), close(e), close(f);
}

/* SO_RCVTIMEO / SO_SNDTIMEO: a blocking call gives up after the time with EAGAIN (a send or a
 * MSG_WAITALL receive with what it moved); only "at least the time" is printed */
static int waitedAtLeast(const struct timespec *t0, long ms) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000 >= ms;
}
static void timeouts(void) {
  static char big[1 << 22];
  int sv[2];
  char buf[8];
  struct timespec t0;
  struct timeval tv = {0, 20000};
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  show("set SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  show("set SO_SNDTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
  clock_gettime(CLOCK_MONOTONIC, &t0);
  show("recv past SO_RCVTIMEO", recv(sv[0], buf, sizeof buf, 0));
  printf("waited at least SO_RCVTIMEO %d\n", waitedAtLeast(&t0, 20));
  write(sv[1], "abc", 3);
  show("recv MSG_WAITALL past SO_RCVTIMEO", recv(sv[0], buf, sizeof buf, MSG_WAITALL));
  clock_gettime(CLOCK_MONOTONIC, &t0);
  long n = send(sv[0], big, sizeof big, 0);
  printf("send past SO_SNDTIMEO sent a part %d, waited %d\n", n > 0 && n < (long)sizeof big, waitedAtLeast(&t0, 20));
  close(sv[0]), close(sv[1]);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {AF_UNIX};
  memcpy(a.sun_path, "\0dbtlab-timeouts", 17);
  bind(l, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 17);
  listen(l, 1);
  setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  show("accept past SO_RCVTIMEO", accept(l, 0, 0));
  printf("waited at least SO_RCVTIMEO %d\n", waitedAtLeast(&t0, 20));
  close(l);
}

/* SCM_CREDENTIALS: what recvmsg shows under SO_PASSCRED (pids as "self", "child" or the number) */
static pid_t child;
static void recvCreds(const char *what, int fd, size_t room) {
  char data[16] = {0}, control[64] __attribute__((aligned(8)));
  struct iovec iov = {data, sizeof data - 1};
  struct msghdr m = {0, 0, &iov, 1, room ? control : 0, room, 0};
  long n = recvmsg(fd, &m, 0);
  printf("%s: %ld '%s' flags %#x controllen %zu", what, n, data, m.msg_flags, (size_t)m.msg_controllen);
  for (struct cmsghdr *c = m.msg_controllen ? CMSG_FIRSTHDR(&m) : 0; c; c = CMSG_NXTHDR(&m, c)) {
    if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len == CMSG_LEN(sizeof(struct ucred))) {
      struct ucred u;
      memcpy(&u, CMSG_DATA(c), sizeof u);
      const char *who = u.pid == getpid() ? "self" : u.pid == child ? "child" : "other";
      /* no sender (pid 0): the ids as numbers, whoever runs this; else "own" */
      if (u.pid == 0) printf(" creds pid 0 uid %u gid %u", u.uid, u.gid);
      else printf(" creds pid %s uid %s gid %s", who, u.uid == getuid() ? "own" : "?", u.gid == getgid() ? "own" : "?");
    } else printf(" cmsg type %d len %zu", c->cmsg_type, (size_t)c->cmsg_len);
  }
  printf("\n");
}
static long sendCreds(int fd, const char *text, pid_t pid, size_t len) {
  union { char buf[CMSG_SPACE(sizeof(struct ucred))]; struct cmsghdr align; } u = {0};
  struct iovec iov = {(void *)text, strlen(text)};
  struct msghdr m = {0, 0, &iov, 1, u.buf, sizeof u.buf, 0};
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET, c->cmsg_type = SCM_CREDENTIALS, c->cmsg_len = len;
  struct ucred cr = {pid, getuid(), getgid()};
  memcpy(CMSG_DATA(c), &cr, sizeof cr);
  return sendmsg(fd, &m, 0);
}
static void credentials(void) {
  int sv[2], on = 1;
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  write(sv[1], "x", 1);
  show("set SO_PASSCRED", setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
  write(sv[1], "y", 1);
  recvCreds("stream sent before SO_PASSCRED", sv[0], 64);
  recvCreds("stream sent after", sv[0], 64);
  show("SCM_CREDENTIALS of cmsg_len 8", sendCreds(sv[1], "z", getpid(), CMSG_LEN(8)));
  show("SCM_CREDENTIALS own", sendCreds(sv[1], "z", getpid(), CMSG_LEN(sizeof(struct ucred))));
  recvCreds("explicit", sv[0], 64);
  write(sv[1], "n", 1);
  recvCreds("no control buffer", sv[0], 0);
  write(sv[1], "s", 1);
  recvCreds("control smaller than a header", sv[0], 8);
  write(sv[1], "r", 1);
  recvCreds("control room for part of the creds", sv[0], CMSG_LEN(4));
  int p[2];
  pipe(p);
  union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } r = {0};
  struct iovec iov = {"f", 1};
  struct msghdr m = {0, 0, &iov, 1, r.buf, sizeof r.buf, 0};
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET, c->cmsg_type = SCM_RIGHTS, c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &p[0], sizeof(int));
  sendmsg(sv[1], &m, 0);
  recvCreds("with a descriptor", sv[0], 64);
  child = fork();
  if (child == 0) {
    sendCreds(sv[1], "c", getpid(), CMSG_LEN(sizeof(struct ucred)));
    write(sv[1], "d", 1);
    _exit(0);
  }
  waitpid(child, 0, 0);
  recvCreds("a child's explicit and own, joined", sv[0], 64);
  close(sv[1]);
  recvCreds("end of stream", sv[0], 64);
  close(sv[0]), close(p[0]), close(p[1]);
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  write(sv[1], "1", 1);
  recvCreds("datagram, the sender's SO_PASSCRED only", sv[0], 64);
  setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  write(sv[1], "2", 1);
  recvCreds("datagram, both", sv[0], 64);
  close(sv[0]), close(sv[1]);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  credentials();
  timeouts();
  fdlinks();
  pairs();
  struct sockaddr_un abs = {AF_UNIX};
  memcpy(abs.sun_path, "\0dbtlab-test-sock", 17);
  named("abstract", &abs, offsetof(struct sockaddr_un, sun_path) + 17);
  /* (path names are not checked: the kernel VM's /tmp, 9p, cannot hold socket files) */
  multiplexed();
  return 0;
}
