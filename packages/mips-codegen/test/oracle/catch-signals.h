/* Installs one SA_SIGINFO handler for each signal of a 0-terminated list, in the order given:
   catch_signals(handler, SIGILL, SIGSEGV, 0). Shared by the probes that catch a few signals with the
   same handler and no other flags (eflags-user.c, x87-envload.c). */
#include <signal.h>
#include <stdarg.h>
#include <string.h>

static void catch_signals(void (*handler)(int, siginfo_t *, void *), ...) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  va_list sigs;
  va_start(sigs, handler);
  for (int s = va_arg(sigs, int); s != 0; s = va_arg(sigs, int)) sigaction(s, &sa, 0);
  va_end(sigs);
}
