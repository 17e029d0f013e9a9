/* File-system system calls: mkdtemp a directory under $TMPDIR (else /tmp), create 40 files of
 * different sizes, list it with readdir (getdents64), stat each, rename some, remove everything.
 * Prints only names (sorted) and sizes, never the random directory name. Under dbtlab the name
 * is the same in every run (fixed-seed randomness): the harness gives each run its own TMPDIR. */
#define _FILE_OFFSET_BITS 64 /* readdir64: a 64-bit host d_off (e.g. under qemu-i386) does not overflow */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/dbtlab-dir-list-XXXXXX", tmp ? tmp : "/tmp");
  if (!mkdtemp(dir) || chdir(dir) != 0) return perror("mkdtemp"), 1;
  char name[32], buf[512];
  memset(buf, 'x', sizeof buf);
  for (int i = 0; i < 40; i++) {
    snprintf(name, sizeof name, "file-%02d.dat", (i * 17) % 40);
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 || write(fd, buf, (size_t)(i * 13 % 500)) < 0 || close(fd) != 0) return perror(name), 1;
  }
  for (int i = 0; i < 40; i += 7) {
    char to[32];
    snprintf(name, sizeof name, "file-%02d.dat", i);
    snprintf(to, sizeof to, "renamed-%02d.dat", i);
    if (rename(name, to) != 0) return perror("rename"), 1;
  }
  DIR *d = opendir(".");
  char *names[64];
  int n = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], cmp_names);
  long total = 0;
  for (int i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) != 0) return perror("stat"), 1;
    total += st.st_size;
    printf("%s %lld%s", names[i], (long long)st.st_size, i % 4 == 3 ? "\n" : "  ");
    if (unlink(names[i]) != 0) return perror("unlink"), 1;
    free(names[i]);
  }
  if (chdir("/") != 0 || rmdir(dir) != 0) return perror("rmdir"), 1;
  printf("%d files, %ld bytes, directory removed\n", n, total);
  return 0;
}
