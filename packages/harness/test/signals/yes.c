/* Writes until the reader goes away: SIGPIPE kills it (status 141). */
#include <stdio.h>
int main(void) { for (;;) { if (fputs("y\n", stdout) < 0) return 3; } }
