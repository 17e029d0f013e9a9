/* stdio file I/O: write 500 lines to a fresh temporary file (O_TMPFILE: it has no name, so runs
 * at the same time cannot collide, as mkstemp's names from the fixed-seed randomness and the
 * virtual clock did: one run's retry was an extra system call), seek, read them back with fgets
 * and fread, and checksum what was read. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  int fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
  if (fd < 0) return perror("open O_TMPFILE"), 1;
  FILE *f = fdopen(fd, "w+");
  for (int i = 0; i < 500; i++) fprintf(f, "record %04d value %d\n", i, i * i % 9973);
  long size = ftell(f);
  rewind(f);
  char line[64];
  unsigned lines = 0, sum = 0;
  while (fgets(line, sizeof line, f)) {
    lines++;
    sum += (unsigned)atoi(strrchr(line, ' ') + 1);
  }
  fseek(f, size / 2, SEEK_SET);
  char chunk[100];
  size_t got = fread(chunk, 1, sizeof chunk, f);
  unsigned h = 0;
  for (size_t i = 0; i < got; i++) h = h * 31 + (unsigned char)chunk[i];
  printf("wrote %ld bytes, read %u lines, value sum %u, %zu bytes from the middle hash %08x\n", size,
         lines, sum, got, h);
  fclose(f);
  return 0;
}
