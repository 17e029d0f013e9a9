/* AF_INET and AF_INET6 sockets over loopback: TCP (bind, listen, connect blocking and not,
 * accept, names, send/recv, MSG_PEEK/MSG_DONTWAIT, shutdown, the peer's close, ECONNREFUSED,
 * EADDRINUSE and SO_REUSEADDR), UDP (sendto/recvfrom, connected UDP, MSG_TRUNC, EDESTADDRREQ),
 * IPv6 and a v4 client of a v6 listener, common socket options, poll and epoll readiness,
 * a large blocking send between processes and a partial non-blocking one, sendmmsg/recvmmsg,
 * preadv/pwritev on a socket; i386's socketcall.
 * Prints no port numbers (ephemeral ports are the kernel's choice) and no buffer sizes. */
#include "common.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

static void show(const char *what, long r) { report(what, r); }

static int pollmask(int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
  poll(&p, 1, 0);
  return p.revents;
}

/* An address as "family addr port?" with the port only said to be there. */
static void name_of(const char *what, int fd, int peer) {
  struct sockaddr_storage ss;
  memset(&ss, 0xaa, sizeof ss);
  socklen_t len = sizeof ss;
  long r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len);
  if (r < 0) {
    printf("%s = -1 %s\n", what, strerrorname_np(errno));
    return;
  }
  char buf[64];
  if (ss.ss_family == AF_INET) {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    printf("%s: len %u inet %s port %s\n", what, len, inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf), a->sin_port ? "set" : "0");
  } else if (ss.ss_family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    printf("%s: len %u inet6 %s port %s flow %u scope %u\n", what, len, inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf),
           a->sin6_port ? "set" : "0", a->sin6_flowinfo, a->sin6_scope_id);
  } else printf("%s: family %d len %u\n", what, ss.ss_family, len);
  fflush(stdout);
}

static unsigned short port_of(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  getsockname(fd, (struct sockaddr *)&ss, &len);
  return ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port : ((struct sockaddr_in6 *)&ss)->sin6_port;
}

static struct sockaddr_in v4(const char *ip, unsigned short port) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = port;
  inet_pton(AF_INET, ip, &a.sin_addr);
  return a;
}

static struct sockaddr_in6 v6(const char *ip, unsigned short port) {
  struct sockaddr_in6 a = {0};
  a.sin6_family = AF_INET6;
  a.sin6_port = port;
  inet_pton(AF_INET6, ip, &a.sin6_addr);
  return a;
}

static void intopt(const char *what, int fd, int level, int name) {
  int v = -7;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, name, &v, &len) < 0) printf("getsockopt %s = -1 %s\n", what, strerrorname_np(errno));
  else printf("getsockopt %s = %d (len %u)\n", what, v, len);
  fflush(stdout);
}

static void setint(const char *what, int fd, int level, int name, int v) { show(what, setsockopt(fd, level, name, &v, sizeof v)); }

static void errors(void) {
  show("socket stream udp", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
  show("socket dgram tcp", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
  show("socket type 7", socket(AF_INET, 7, 0));
  show("socket family 99", socket(99, SOCK_STREAM, 0));
  int sv[2];
  show("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, sv));
  show("socketpair inet6", socketpair(AF_INET6, SOCK_DGRAM, 0, sv));
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = v4("127.0.0.1", 0);
  show("bind short", bind(s, (struct sockaddr *)&a, 8));
  a.sin_family = AF_INET6;
  show("bind family", bind(s, (struct sockaddr *)&a, sizeof a));
  a = v4("127.0.0.1", 0);
  show("bind EFAULT", bind(s, BAD, sizeof a));
  show("listen unbound (autobind)", listen(s, 1));
  name_of("autobound", s, 0);
  show("bind again", bind(s, (struct sockaddr *)&a, sizeof a));
  show("getpeername listener", getpeername(s, (struct sockaddr *)&a, &(socklen_t){sizeof a}));
  show("recv listener", recv(s, &a, 1, MSG_DONTWAIT));
  show("send listener", send(s, "x", 1, MSG_NOSIGNAL));
  show("shutdown unconnected", shutdown(socket(AF_INET, SOCK_STREAM, 0), SHUT_RD));
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  show("listen udp", listen(u, 1));
  show("accept udp", accept(u, 0, 0));
  show("send udp unconnected", send(u, "x", 1, 0));
  show("getsockopt bad level", getsockopt(u, 999, 1, &a, &(socklen_t){4}));
  show("setsockopt short", setsockopt(u, SOL_SOCKET, SO_REUSEADDR, &a, 2));
  close(s);
  close(u);
}

/* TCP over 127.0.0.1 in one process: the connection waits in the backlog until accept. */
static void tcp4(void) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  printf("new tcp poll %#x\n", pollmask(l));
  intopt("SO_TYPE", l, SOL_SOCKET, SO_TYPE);
  intopt("SO_PROTOCOL", l, SOL_SOCKET, SO_PROTOCOL);
  intopt("SO_DOMAIN", l, SOL_SOCKET, SO_DOMAIN);
  intopt("SO_REUSEADDR", l, SOL_SOCKET, SO_REUSEADDR);
  setint("setsockopt SO_REUSEADDR", l, SOL_SOCKET, SO_REUSEADDR, 5);
  intopt("SO_REUSEADDR", l, SOL_SOCKET, SO_REUSEADDR);
  struct sockaddr_in a = v4("127.0.0.1", 0);
  show("bind 127.0.0.1:0", bind(l, (struct sockaddr *)&a, sizeof a));
  name_of("bound", l, 0);
  a.sin_port = port_of(l);
  show("listen", listen(l, 4));
  intopt("SO_ACCEPTCONN", l, SOL_SOCKET, SO_ACCEPTCONN);
  printf("listener poll %#x\n", pollmask(l));
  int other = socket(AF_INET, SOCK_STREAM, 0);
  show("bind same port", bind(other, (struct sockaddr *)&a, sizeof a));
  setint("setsockopt SO_REUSEADDR", other, SOL_SOCKET, SO_REUSEADDR, 1);
  show("bind same port, both reuse, listening", bind(other, (struct sockaddr *)&a, sizeof a));
  struct sockaddr_in any = v4("0.0.0.0", a.sin_port);
  close(other);
  other = socket(AF_INET, SOCK_STREAM, 0);
  show("bind any same port", bind(other, (struct sockaddr *)&any, sizeof any));
  close(other);
  struct sockaddr_in far = v4("192.0.2.1", 0);
  other = socket(AF_INET, SOCK_STREAM, 0);
  show("bind non-local", bind(other, (struct sockaddr *)&far, sizeof far));
  close(other);
  fcntl(l, F_SETFL, O_NONBLOCK);
  show("accept non-blocking, none", accept(l, 0, 0));
  fcntl(l, F_SETFL, 0);

  int c = socket(AF_INET, SOCK_STREAM, 0);
  show("connect", connect(c, (struct sockaddr *)&a, sizeof a));
  show("connect again", connect(c, (struct sockaddr *)&a, sizeof a));
  name_of("client name", c, 0);
  name_of("client peer", c, 1);
  printf("listener poll with one pending %#x\n", pollmask(l));
  struct sockaddr_in from;
  socklen_t flen = sizeof from;
  int s = accept(l, (struct sockaddr *)&from, &flen);
  printf("accept: %s len %u same port as client %d\n", s >= 0 ? "ok" : strerrorname_np(errno), flen, from.sin_port == port_of(c));
  name_of("accepted name", s, 0);
  name_of("accepted peer", s, 1);
  flen = 4;
  show("getpeername short", getpeername(s, (struct sockaddr *)&from, &flen));
  printf("  len %u\n", flen);
  printf("connected poll %#x\n", pollmask(c));
  intopt("TCP_NODELAY", c, IPPROTO_TCP, TCP_NODELAY);
  setint("setsockopt TCP_NODELAY", c, IPPROTO_TCP, TCP_NODELAY, 1);
  intopt("TCP_NODELAY", c, IPPROTO_TCP, TCP_NODELAY);
  intopt("SO_KEEPALIVE", c, SOL_SOCKET, SO_KEEPALIVE);
  setint("setsockopt SO_KEEPALIVE", c, SOL_SOCKET, SO_KEEPALIVE, 1);
  intopt("SO_KEEPALIVE", c, SOL_SOCKET, SO_KEEPALIVE);
  intopt("IP_TTL", c, IPPROTO_IP, IP_TTL);
  intopt("SO_ERROR", c, SOL_SOCKET, SO_ERROR);
  intopt("TCP_KEEPIDLE", c, IPPROTO_TCP, TCP_KEEPIDLE);
  intopt("bad option", c, SOL_SOCKET, 9999);
  struct linger lg = {1, 5};
  show("setsockopt SO_LINGER", setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
  memset(&lg, 0, sizeof lg);
  socklen_t lglen = sizeof lg;
  show("getsockopt SO_LINGER", getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &lglen));
  printf("  linger %d %d len %u\n", lg.l_onoff, lg.l_linger, lglen);
  struct timeval tv = {2, 500000};
  show("setsockopt SO_RCVTIMEO", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  memset(&tv, 0, sizeof tv);
  socklen_t tvlen = sizeof tv;
  show("getsockopt SO_RCVTIMEO", getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, &tvlen));
  printf("  timeout %ld.%06ld len %u\n", (long)tv.tv_sec, (long)tv.tv_usec, tvlen);

  char buf[64] = {0};
  show("recv empty dontwait", recv(s, buf, sizeof buf, MSG_DONTWAIT));
  show("send hello", send(c, "hello", 5, 0));
  show("write world", write(c, " world", 6));
  printf("accepted poll %#x\n", pollmask(s));
  show("recv peek 3", recv(s, buf, 3, MSG_PEEK));
  show("recv", recv(s, buf, sizeof buf, 0));
  printf("  got '%s'\n", buf);
  show("sendto with address (ignored on tcp)", sendto(s, "back", 4, 0, (struct sockaddr *)&a, sizeof a));
  memset(buf, 0, sizeof buf);
  struct sockaddr_in src;
  socklen_t slen = sizeof src;
  show("recvfrom", recvfrom(c, buf, sizeof buf, 0, (struct sockaddr *)&src, &slen));
  printf("  got '%s' addrlen %u\n", buf, slen);
  show("shutdown client SHUT_WR", shutdown(c, SHUT_WR));
  printf("client poll after SHUT_WR %#x\n", pollmask(c));
  printf("accepted poll after peer SHUT_WR %#x\n", pollmask(s));
  show("recv at EOF", recv(s, buf, sizeof buf, 0));
  show("send after SHUT_WR", send(c, "x", 1, MSG_NOSIGNAL));
  show("send to half-closed peer", send(s, "late", 4, 0));
  show("recv it", recv(c, buf, sizeof buf, 0));
  show("close client", close(c));
  printf("accepted poll after peer close %#x\n", pollmask(s));
  show("send to closed peer", send(s, "1", 1, MSG_NOSIGNAL));
  show("send to closed peer again", send(s, "2", 1, MSG_NOSIGNAL));
  printf("accepted poll after reset %#x\n", pollmask(s));
  show("recv after reset", recv(s, buf, sizeof buf, 0));
  close(s);

  /* a connection refused: a bound port nobody listens on */
  int b = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in lo = v4("127.0.0.1", 0);
  bind(b, (struct sockaddr *)&lo, sizeof lo);
  lo.sin_port = port_of(b);
  c = socket(AF_INET, SOCK_STREAM, 0);
  show("connect refused", connect(c, (struct sockaddr *)&lo, sizeof lo));
  close(c);
  c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  long r = connect(c, (struct sockaddr *)&lo, sizeof lo);
  printf("connect refused non-blocking: %s\n", r == 0 ? "0" : strerrorname_np(errno));
  struct pollfd pf = {c, POLLOUT, 0};
  poll(&pf, 1, 1000);
  printf("  poll %#x\n", pf.revents);
  intopt("SO_ERROR", c, SOL_SOCKET, SO_ERROR);
  intopt("SO_ERROR again", c, SOL_SOCKET, SO_ERROR);
  close(c);
  close(b);

  /* a non-blocking connect that succeeds */
  c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("connect non-blocking: %s\n", r == 0 ? "0" : strerrorname_np(errno));
  pf.fd = c;
  poll(&pf, 1, 1000);
  printf("  poll %#x\n", pf.revents);
  intopt("SO_ERROR", c, SOL_SOCKET, SO_ERROR);
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("connect again: %s\n", r == 0 ? "0" : strerrorname_np(errno));
  int epfd = epoll_create1(0);
  struct epoll_event ev = {EPOLLIN, {.u32 = 7}};
  epoll_ctl(epfd, EPOLL_CTL_ADD, l, &ev);
  struct epoll_event out[2];
  int n = epoll_wait(epfd, out, 2, 0);
  printf("epoll listener: %d events %#x data %u\n", n, n > 0 ? out[0].events : 0, n > 0 ? out[0].data.u32 : 0);
  s = accept4(l, 0, 0, SOCK_CLOEXEC);
  printf("accept4 cloexec: %s flags %#x\n", s >= 0 ? "ok" : strerrorname_np(errno), fcntl(s, F_GETFD));
  n = epoll_wait(epfd, out, 2, 0);
  printf("epoll listener after accept: %d\n", n);
  /* a close with unread data resets the connection */
  send(c, "unread", 6, 0);
  close(s);
  show("recv after reset by close with unread data", recv(c, buf, sizeof buf, 0));
  show("recv again", recv(c, buf, sizeof buf, 0));
  close(c);
  close(epfd);
  close(l);
  show("connect to closed listener's port", connect(socket(AF_INET, SOCK_STREAM, 0), (struct sockaddr *)&a, sizeof a));
}

static void udp4(void) {
  int x = socket(AF_INET, SOCK_DGRAM, 0);
  int y = socket(AF_INET, SOCK_DGRAM, 0);
  printf("new udp poll %#x\n", pollmask(x));
  intopt("SO_TYPE", x, SOL_SOCKET, SO_TYPE);
  intopt("SO_PROTOCOL", x, SOL_SOCKET, SO_PROTOCOL);
  intopt("SO_BROADCAST", x, SOL_SOCKET, SO_BROADCAST);
  struct sockaddr_in a = v4("127.0.0.1", 0);
  show("bind x", bind(x, (struct sockaddr *)&a, sizeof a));
  a.sin_port = port_of(x);
  name_of("udp name", x, 0);
  name_of("udp peer", x, 1);
  show("sendto x from unbound y", sendto(y, "ping", 4, 0, (struct sockaddr *)&a, sizeof a));
  name_of("y autobound", y, 0);
  show("sendto x again", sendto(y, "second!", 7, 0, (struct sockaddr *)&a, sizeof a));
  printf("x poll %#x\n", pollmask(x));
  char buf[16] = {0};
  struct sockaddr_in from;
  socklen_t flen = sizeof from;
  show("recvfrom", recvfrom(x, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
  printf("  '%s' from %s, y's port %d, len %u\n", buf, inet_ntoa(from.sin_addr), from.sin_port == port_of(y), flen);
  memset(buf, 0, sizeof buf);
  show("recv 3 of 7, MSG_TRUNC", recv(x, buf, 3, MSG_TRUNC));
  printf("  '%s'\n", buf);
  show("recv empty", recv(x, buf, sizeof buf, MSG_DONTWAIT));
  show("sendto empty datagram", sendto(y, "", 0, 0, (struct sockaddr *)&a, sizeof a));
  show("recv empty datagram", recv(x, buf, sizeof buf, 0));
  show("connect y to x", connect(y, (struct sockaddr *)&a, sizeof a));
  name_of("y peer", y, 1);
  show("send y", send(y, "conn", 4, 0));
  struct iovec iov = {buf, sizeof buf};
  struct msghdr m = {0};
  m.msg_name = &from;
  m.msg_namelen = sizeof from;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  show("recvmsg", recvmsg(x, &m, 0));
  printf("  namelen %u flags %#x\n", m.msg_namelen, m.msg_flags);
  /* y is connected to x: a datagram from elsewhere is not for y */
  int z = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in ya = v4("127.0.0.1", port_of(y));
  show("sendto y from z", sendto(z, "stranger", 8, 0, (struct sockaddr *)&ya, sizeof ya));
  show("recv y", recv(y, buf, sizeof buf, MSG_DONTWAIT));
  show("send too big", sendto(z, malloc(70000), 70000, 0, (struct sockaddr *)&a, sizeof a));
  /* a connected socket whose peer port is closed: the next call reports ECONNREFUSED */
  close(x);
  show("send to closed port", send(y, "lost", 4, 0));
  show("recv after refused", recv(y, buf, sizeof buf, MSG_DONTWAIT));
  show("recv again", recv(y, buf, sizeof buf, MSG_DONTWAIT));
  struct sockaddr_in unspec = {0};
  unspec.sin_family = AF_UNSPEC;
  show("connect AF_UNSPEC (disconnect)", connect(y, (struct sockaddr *)&unspec, sizeof unspec));
  name_of("y peer after disconnect", y, 1);
  show("bind udp same port", bind(z, (struct sockaddr *)&ya, sizeof ya));
  close(y);
  close(z);
}

static void tcp6(void) {
  int l = socket(AF_INET6, SOCK_STREAM, 0);
  intopt("IPV6_V6ONLY", l, IPPROTO_IPV6, IPV6_V6ONLY);
  intopt("SO_DOMAIN", l, SOL_SOCKET, SO_DOMAIN);
  struct sockaddr_in6 a = v6("::", 0);
  show("bind [::]:0", bind(l, (struct sockaddr *)&a, sizeof a));
  show("bind short v6", bind(socket(AF_INET6, SOCK_STREAM, 0), (struct sockaddr *)&a, 20));
  name_of("v6 bound", l, 0);
  show("listen", listen(l, 4));
  unsigned short port = port_of(l);
  int c6 = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 lo6 = v6("::1", port);
  show("connect [::1]", connect(c6, (struct sockaddr *)&lo6, sizeof lo6));
  name_of("v6 client name", c6, 0);
  int s6 = accept(l, 0, 0);
  name_of("v6 accepted name", s6, 0);
  name_of("v6 accepted peer", s6, 1);
  int c4 = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in lo4 = v4("127.0.0.1", port);
  show("connect v4 to v6 listener", connect(c4, (struct sockaddr *)&lo4, sizeof lo4));
  int s4 = accept(l, 0, 0);
  name_of("v4-mapped accepted name", s4, 0);
  name_of("v4-mapped accepted peer", s4, 1);
  show("send v4", send(c4, "four", 4, 0));
  char buf[8] = {0};
  show("recv v6 side", recv(s4, buf, sizeof buf, 0));
  printf("  '%s'\n", buf);
  close(c4);
  close(s4);
  close(c6);
  close(s6);
  close(l);
  int u = socket(AF_INET6, SOCK_DGRAM, 0);
  setint("setsockopt IPV6_V6ONLY", u, IPPROTO_IPV6, IPV6_V6ONLY, 1);
  struct sockaddr_in6 ua = v6("::1", 0);
  show("bind udp6", bind(u, (struct sockaddr *)&ua, sizeof ua));
  ua.sin6_port = port_of(u);
  int u2 = socket(AF_INET6, SOCK_DGRAM, 0);
  show("sendto udp6", sendto(u2, "six", 3, 0, (struct sockaddr *)&ua, sizeof ua));
  struct sockaddr_in6 from;
  socklen_t flen = sizeof from;
  show("recvfrom udp6", recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
  printf("  len %u family %d same port %d\n", flen, from.sin6_family, from.sin6_port == port_of(u2));
  struct sockaddr_in v4only = v4("127.0.0.1", 0);
  show("v6 socket bind v4 address", bind(u2, (struct sockaddr *)&v4only, sizeof v4only));
  close(u);
  close(u2);
}

/* Between processes: non-blocking sends until the buffers are full (the last one partial), then
 * a blocking send larger than any buffer while the reader drains. */
static void big(void) {
  enum { BIG = 8 << 20 };
  int l = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = v4("127.0.0.1", 0);
  bind(l, (struct sockaddr *)&a, sizeof a);
  a.sin_port = port_of(l);
  listen(l, 1);
  int go[2];
  pipe(go);
  pid_t pid = fork();
  if (pid == 0) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    /* the byte at stream offset i is (char)(i * 7): period 256 */
    char *p = malloc(BIG + 256);
    for (int i = 0; i < BIG + 256; i++) p[i] = (char)(i * 7);
    fcntl(c, F_SETFL, O_NONBLOCK);
    long total = 0, n = 0, partial = 0;
    while (total < 64L * BIG && (n = send(c, p + (total & 255), 1 << 20, 0)) > 0) {
      partial = n < (1 << 20);
      total += n;
    }
    printf("child non-blocking sends: %s, the last partial %ld\n", n < 0 ? strerrorname_np(errno) : "no EAGAIN", partial);
    fflush(stdout);
    fcntl(c, F_SETFL, 0);
    long want = total + BIG;
    write(go[1], &want, sizeof want);
    n = send(c, p + (total & 255), BIG, 0);
    printf("child blocking send: all %d\n", n == BIG);
    fflush(stdout);
    close(c);
    _exit(0);
  }
  int s = accept(l, 0, 0);
  long want = 0;
  read(go[0], &want, sizeof want);
  char *buf = malloc(65536);
  long got = 0, bad = 0;
  for (long n; (n = recv(s, buf, 65536, 0)) > 0; got += n)
    for (long i = 0; i < n; i++) bad += buf[i] != (char)((got + i) * 7);
  printf("parent got all %d, mismatches %ld\n", got == want, bad);
  int st;
  waitpid(pid, &st, 0);
  printf("child status %d\n", st);
  fflush(stdout);
  close(s);
  close(l);
}

/* sendmmsg/recvmmsg over UDP; preadv/pwritev on a socket (ESPIPE). */
static void vectors(void) {
  int x = socket(AF_INET, SOCK_DGRAM, 0), y = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = v4("127.0.0.1", 0);
  bind(x, (struct sockaddr *)&a, sizeof a);
  a.sin_port = port_of(x);
  connect(y, (struct sockaddr *)&a, sizeof a);
  char *words[3] = {"one", "three", "fifteen"};
  struct iovec iov[4];
  struct mmsghdr mm[4];
  memset(mm, 0, sizeof mm);
  for (int i = 0; i < 3; i++) {
    iov[i].iov_base = words[i];
    iov[i].iov_len = strlen(words[i]);
    mm[i].msg_hdr.msg_iov = &iov[i];
    mm[i].msg_hdr.msg_iovlen = 1;
  }
  show("sendmmsg 3", sendmmsg(y, mm, 3, 0));
  printf("  msg_len %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
  char bufs[4][8];
  struct sockaddr_in from[4];
  memset(mm, 0, sizeof mm);
  for (int i = 0; i < 4; i++) {
    iov[i].iov_base = bufs[i];
    iov[i].iov_len = 5;
    mm[i].msg_hdr.msg_iov = &iov[i];
    mm[i].msg_hdr.msg_iovlen = 1;
    mm[i].msg_hdr.msg_name = &from[i];
    mm[i].msg_hdr.msg_namelen = sizeof from[i];
  }
  show("recvmmsg 4, MSG_WAITFORONE", recvmmsg(x, mm, 4, MSG_WAITFORONE, 0));
  for (int i = 0; i < 3; i++) printf("  '%.*s' len %u flags %#x namelen %u\n", (int)mm[i].msg_len, bufs[i], mm[i].msg_len, mm[i].msg_hdr.msg_flags, mm[i].msg_hdr.msg_namelen);
  show("recvmmsg none, MSG_DONTWAIT", recvmmsg(x, mm, 4, MSG_DONTWAIT, 0));
  show("recvmmsg EFAULT", recvmmsg(x, BAD, 4, MSG_DONTWAIT, 0));
  show("sendmmsg vlen 0", sendmmsg(y, mm, 0, 0));
  show("sendmmsg not a socket", sendmmsg(0 + 99, mm, 1, 0));
  char c;
  struct iovec one = {&c, 1};
  show("preadv socket", preadv(x, &one, 1, 0));
  show("pwritev socket", pwritev(y, &one, 1, 0));
  show("pread socket", pread(x, &c, 1, 0));
  close(x);
  close(y);
}

static void multiplexer(void) {
#ifdef SYS_socketcall
  long args[6] = {AF_INET, SOCK_DGRAM, 0};
  long fd = syscall(SYS_socketcall, 1, args);
  show("socketcall socket", fd >= 0 ? 0 : fd);
  struct sockaddr_in a = v4("127.0.0.1", 0);
  long bargs[3] = {fd, (long)&a, sizeof a};
  show("socketcall bind", syscall(SYS_socketcall, 2, bargs));
  socklen_t len = sizeof a;
  long nargs[3] = {fd, (long)&a, (long)&len};
  show("socketcall getsockname", syscall(SYS_socketcall, 6, nargs));
  long sargs[6] = {fd, (long)"self", 4, 0, (long)&a, sizeof a};
  show("socketcall sendto self", syscall(SYS_socketcall, 11, sargs));
  char buf[8] = {0};
  long rargs[4] = {fd, (long)buf, sizeof buf, 0};
  show("socketcall recv", syscall(SYS_socketcall, 10, rargs));
  printf("  '%s'\n", buf);
  struct iovec iov = {"mm", 2};
  struct mmsghdr mm = {{&a, sizeof a, &iov, 1, 0, 0, 0}, 0};
  long margs[5] = {fd, (long)&mm, 1, 0, 0};
  show("socketcall sendmmsg", syscall(SYS_socketcall, 20, margs));
  struct iovec riov = {buf, sizeof buf};
  struct mmsghdr rm = {{0, 0, &riov, 1, 0, 0, 0}, 0};
  long rmargs[5] = {fd, (long)&rm, 1, 0, 0};
  show("socketcall recvmmsg", syscall(SYS_socketcall, 19, rmargs));
  printf("  msg_len %u\n", rm.msg_len);
  close(fd);
#endif
  long s = SYS(socket, AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  close(s);
}

int main(void) {
  /* a hang is a failure, not a stuck oracle; on the host's clock (the oracle runs without the virtual
   * one), so with room for x86tomips-style on a loaded machine: 60 s there (5.5 s quiet) killed the
   * parent mid-transfer, and the child's blocking send returned short to its closed peer */
  alarm(600);
  errors();
  tcp4();
  udp4();
  tcp6();
  big();
  vectors();
  multiplexer();
  return 0;
}
