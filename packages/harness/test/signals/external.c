/* Signals sent from outside: handlers for HUP, TERM, USR1 (WINCH ignored by default); with an
 * argument the wait is a busy loop (delivery at a TB boundary), else pause(). SIGINT kills. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
static volatile int n;
static void h(int s) { char b[32]; int k = snprintf(b, sizeof b, "got %d\n", s); write(1, b, k); n++; }
int main(int argc, char **argv) {
  signal(SIGTERM, h); signal(SIGHUP, h); signal(SIGUSR1, h); signal(SIGWINCH, SIG_DFL);
  printf("ready\n"); fflush(stdout);
  if (argc > 1) { while (n < 3) {} } else while (n < 3) pause();
  printf("waiting for the end\n"); fflush(stdout);
  for (;;) pause();
}
