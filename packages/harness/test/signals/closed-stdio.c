/* write(1) and read(0) with the standard descriptors closed: EBADF. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>
int main(void) { int r = write(1, "x\n", 2); int e = errno; char b[64]; int n = snprintf(b, sizeof b, "write %d %s\n", r, r < 0 ? strerrorname_np(e) : "ok"); write(2, b, n); char c; r = read(0, &c, 1); e = errno; n = snprintf(b, sizeof b, "read %d %s\n", r, r < 0 ? strerrorname_np(e) : "ok"); write(2, b, n); return 0; }
