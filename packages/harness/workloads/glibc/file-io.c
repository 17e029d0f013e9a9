/* stdio file I/O: write 500 lines to a fresh temporary file (mkstemp, unlinked at once),
 * seek, read them back with fgets and fread, and checksum what was read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char path[] = "/tmp/dbtlab-file-io-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return perror("mkstemp"), 1;
  unlink(path); /* the open descriptor keeps it alive; nothing is left behind */
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
