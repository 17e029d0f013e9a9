/* Readiness of a host stream on stdin, driven by the test: stdin is open with no data, then
 * gets one byte after "ready", then end of file after "more". poll, select, ppoll, epoll and a
 * non-blocking read must see what the host kernel says at each step. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

static void say(const char *s) {
  write(1, s, strlen(s));
}

static void show(const char *what, int r, int rev) {
  char line[128];
  snprintf(line, sizeof line, "%s = %d%s%s revents %#x\n", what, r, r < 0 ? " " : "", r < 0 ? strerrorname_np(errno) : "", rev);
  say(line);
}

static void probe(int timeout) {
  struct pollfd p = {0, POLLIN, 0};
  int r = poll(&p, 1, timeout);
  show("poll", r, p.revents);
  fd_set in;
  FD_ZERO(&in);
  FD_SET(0, &in);
  struct timeval tv = {0, timeout * 1000};
  r = select(1, &in, 0, 0, timeout < 0 ? 0 : &tv);
  show("select", r, FD_ISSET(0, &in));
  struct timespec ts = {0, timeout * 1000000};
  sigset_t none;
  sigemptyset(&none);
  p.revents = 0;
  r = ppoll(&p, 1, timeout < 0 ? 0 : &ts, &none);
  show("ppoll", r, p.revents);
  int ep = epoll_create1(0);
  struct epoll_event ev = {EPOLLIN, {.u64 = 7}};
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev);
  ev.events = 0;
  r = epoll_wait(ep, &ev, 1, timeout);
  show("epoll_wait", r, ev.events);
  close(ep);
  /* stdout (a pipe with room) is writable */
  struct pollfd o = {1, POLLOUT, 0};
  r = poll(&o, 1, 0);
  show("poll stdout", r, o.revents);
}

int main(void) {
  probe(100);
  int fl = fcntl(0, F_GETFL);
  fcntl(0, F_SETFL, fl | O_NONBLOCK);
  char c = 0;
  int r = read(0, &c, 1);
  show("nonblocking read", r, 0);
  fcntl(0, F_SETFL, fl);
  say("ready\n");
  probe(-1);
  r = read(0, &c, 1);
  show("read", r, c);
  say("more\n");
  probe(-1);
  r = read(0, &c, 1);
  show("read at end", r, 0);
  return 0;
}
