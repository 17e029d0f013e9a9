/* Signal delivery: a SIGUSR1 handler run by 100 raise() calls, SIGUSR2 sent with kill()
 * while blocked by sigprocmask (delivered on unblock), and a handler with SA_SIGINFO that
 * reads si_signo and si_code. Prints the counts. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, usr2, info_ok;

static void on_usr1(int sig) { usr1 += sig == SIGUSR1; }
static void on_usr2(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  usr2++;
  info_ok += sig == SIGUSR2 && si->si_signo == SIGUSR2 && si->si_code == SI_USER;
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  struct sigaction si = {0};
  si.sa_sigaction = on_usr2;
  si.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &si, NULL);
  for (int i = 0; i < 100; i++) raise(SIGUSR1);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);
  kill(getpid(), SIGUSR2);
  int before_unblock = usr2;
  sigset_t pending;
  sigpending(&pending);
  int was_pending = sigismember(&pending, SIGUSR2);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("SIGUSR1 handled %d times; SIGUSR2 pending %d, handled %d before and %d after unblock, siginfo ok %d\n",
         (int)usr1, was_pending, before_unblock, (int)usr2, (int)info_ok);
  return 0;
}
