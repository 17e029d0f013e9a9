/* execve's failures as the caller sees them: the strings' room (a quarter of RLIMIT_STACK, within
 * 128 KiB and 6 MiB, less 8 bytes a pointer: E2BIG one byte past it, also for a script's rewrite),
 * MAX_ARG_STRLEN, the order of ENOENT, EFAULT and E2BIG, argc 0, AT_EXECFN, and the file classes
 * (ENOEXEC, EACCES, ENOENT for a script's missing interpreter, ELOOP); a failed execve leaves the
 * caller's other threads running. The child (CHILD in its environment) prints what it got. */
#include "common.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define MAX_ARG_STRLEN (32 * 4096)
#define SELF "/proc/self/exe"

static char *env1[] = {"CHILD=1", NULL};

/* Prints its arguments: the first few (this program's own path, a script's interpreter, as <self>) and their bytes. */
static void child(int argc, char **argv) {
  char self[4096];
  ssize_t n = readlink(SELF, self, sizeof self - 1);
  self[n < 0 ? 0 : n] = 0;
  unsigned long sum = 0;
  for (int i = 0; i < argc; i++) sum += strcmp(argv[i], self) ? strlen(argv[i]) : 0;
  printf("child: argc %d, %lu bytes, execfn %s, argv", argc, sum, (char *)getauxval(AT_EXECFN));
  for (int i = 0; i < argc && i < 4; i++) printf(" '%.20s'", strcmp(argv[i], self) ? argv[i] : "<self>");
  printf("\n");
  exit(0);
}

/* execve(file, argv, envp) in a child with RLIMIT_STACK `stack`: its errno, or what the new image printed. */
static void try_exec(const char *what, const char *file, rlim_t stack, char **argv, char **envp) {
  printf("%s: ", what);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit rl;
    getrlimit(RLIMIT_STACK, &rl);
    rl.rlim_cur = stack;
    if (setrlimit(RLIMIT_STACK, &rl)) printf("setrlimit %s ", strerrorname_np(errno));
    execve(file, argv, envp);
    printf("%s\n", strerrorname_np(errno));
    exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st)) printf("status %#x\n", st);
  fflush(stdout);
}

static unsigned long room_of(rlim_t stack) {
  unsigned long limit = stack / 4 < 6ul << 20 ? stack / 4 : 6ul << 20;
  return limit < 32 * 4096 ? 32 * 4096 : limit;
}

/* argv = {"x", fills...}: fill strings of `fill` bytes in all (NULs included), none longer than MAX_ARG_STRLEN. */
static char **fill_args(unsigned long fill, int n) {
  char **argv = calloc(n + 2, sizeof *argv);
  argv[0] = "x";
  for (int i = 1; i <= n; i++) {
    unsigned long len = fill - (n - i) > MAX_ARG_STRLEN ? MAX_ARG_STRLEN : fill - (n - i);
    argv[i] = malloc(len);
    memset(argv[i], 'a', len - 1);
    argv[i][len - 1] = 0;
    fill -= len;
  }
  return argv;
}

/* Strings exactly filling the room for `file` with `stack`, plus `extra` bytes; `script` bytes more are taken by a rewrite. */
static void exact(const char *what, const char *file, rlim_t stack, long extra, long script) {
  for (int n = 1;; n++) {
    long room = (long)room_of(stack) - 8 * (n + 2) - (long)(strlen(file) + 1) - 8 - 2 - script + extra;
    if (room >= n && room <= (long)n * MAX_ARG_STRLEN) {
      char **argv = fill_args(room, n);
      try_exec(what, file, stack, argv, env1);
      for (int i = 1; i <= n; i++) free(argv[i]);
      free(argv);
      return;
    }
  }
}

static void write_file(const char *path, const char *text, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  write(fd, text, strlen(text));
  close(fd);
}

static int pipe_fds[2];
static void *reader(void *arg) {
  char c = 0;
  read(pipe_fds[0], &c, 1);
  printf("thread read '%c'\n", c);
  return arg;
}

int main(int argc, char **argv) {
  if (getenv("CHILD")) child(argc, argv);
  char self[4096];
  ssize_t n = readlink(SELF, self, sizeof self - 1);
  self[n] = 0;

  /* the room: a quarter of the limit, at least 128 KiB, at most 6 MiB */
  exact("1 MiB stack, exact fit", SELF, 1 << 20, 0, 0);
  exact("1 MiB stack, one byte more", SELF, 1 << 20, 1, 0);
  exact("256 KiB stack (128 KiB room), exact fit", SELF, 256 << 10, 0, 0);
  exact("256 KiB stack, one byte more", SELF, 256 << 10, 1, 0);
  exact("unlimited stack (6 MiB room), exact fit", SELF, RLIM_INFINITY, 0, 0);
  exact("unlimited stack, one byte more", SELF, RLIM_INFINITY, 1, 0);
  exact("40 MiB stack (6 MiB room), one byte more", SELF, 40 << 20, 1, 0);

  /* one string: MAX_ARG_STRLEN with its NUL */
  char **one = fill_args(MAX_ARG_STRLEN, 1);
  try_exec("a string of MAX_ARG_STRLEN - 1 bytes", SELF, 8 << 20, one, env1);
  char *longer = malloc(MAX_ARG_STRLEN + 1);
  memset(longer, 'b', MAX_ARG_STRLEN);
  longer[MAX_ARG_STRLEN] = 0;
  char *too_long[] = {"x", longer, NULL};
  try_exec("a string of MAX_ARG_STRLEN bytes", SELF, 8 << 20, too_long, env1);

  /* pointers: 8 bytes each (the kernel's), also for i386 */
  char **many = calloc(20000, sizeof *many);
  for (int i = 0; i < 16383; i++) many[i] = "";
  try_exec("16383 empty arguments, 128 KiB room", SELF, 256 << 10, many, env1);
  many[14000] = NULL;
  try_exec("14000 empty arguments", SELF, 256 << 10, many, env1);

  /* the order: the file, the pointer arrays, then the strings from the last */
  try_exec("missing file, bad argv", "./missing", 8 << 20, BAD, env1);
  try_exec("bad argv", SELF, 8 << 20, BAD, env1);
  try_exec("bad envp", SELF, 8 << 20, one, BAD);
  char *bad_first[] = {BAD, longer, NULL};
  try_exec("argv {bad, too long}", SELF, 8 << 20, bad_first, env1);
  char *bad_last[] = {longer, BAD, NULL};
  try_exec("argv {too long, bad}", SELF, 8 << 20, bad_last, env1);
  char *env_bad[] = {"CHILD=1", BAD, NULL};
  try_exec("envp bad, argv too long", SELF, 8 << 20, too_long, env_bad);
  char **page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap((char *)page + 4096, 4096);
  for (unsigned i = 0; i < 4096 / sizeof *page; i++) page[i] = longer;
  try_exec("argv running into an unmapped page", SELF, 8 << 20, page, env1);

  /* argc 0: an empty argv[0]; AT_EXECFN is the name as given */
  char *none[] = {NULL};
  try_exec("argv {}", SELF, 8 << 20, none, env1);
  try_exec("argv NULL", SELF, 8 << 20, NULL, env1);
  char *two[] = {"a0", "a1", NULL};

  /* scripts: the rewrite takes from the same room (counted with the caller's argc) */
  char line[4200];
  snprintf(line, sizeof line, "#!%s\n", self);
  write_file("s", line, 0755);
  try_exec("script", "./s", 8 << 20, two, env1);
  long rewrite = (long)strlen("./s") + 1 + (long)strlen(self) + 1 - 2;
  exact("script, exact fit after the rewrite", "./s", 1 << 20, 0, rewrite);
  exact("script, one byte more after the rewrite", "./s", 1 << 20, 1, rewrite);
  snprintf(line, sizeof line, "#!%s  arg  \n", self);
  write_file("s-arg", line, 0755);
  try_exec("script with an argument", "./s-arg", 8 << 20, two, env1);
  write_file("s-missing", "#!/nonexistent/interp\n", 0755);
  try_exec("script, missing interpreter", "./s-missing", 8 << 20, two, env1);
  write_file("plain", "plain text\n", 0755);
  write_file("s-plain", "#!./plain\n", 0755);
  try_exec("script, interpreter neither ELF nor script", "./s-plain", 8 << 20, two, env1);
  write_file("noexec", "#!/bin/sh\n", 0644);
  write_file("s-noexec", "#!./noexec\n", 0755);
  try_exec("script, interpreter not executable", "./s-noexec", 8 << 20, two, env1);
  mkdir("dir", 0755);
  write_file("s-dir", "#!./dir\n", 0755);
  try_exec("script, interpreter a directory", "./s-dir", 8 << 20, two, env1);
  write_file("s-empty", "#!\n", 0755);
  try_exec("script, empty #! line", "./s-empty", 8 << 20, two, env1);
  /* five rewrites at most */
  for (int i = 0; i < 5; i++) {
    char name[16], text[32];
    snprintf(name, sizeof name, "chain%d", i);
    if (i == 0) snprintf(text, sizeof text, "#!%.24s\n", "./s");
    else snprintf(text, sizeof text, "#!./chain%d\n", i - 1);
    write_file(name, text, 0755);
  }
  try_exec("script chain of 5", "chain3", 8 << 20, two, env1);
  try_exec("script chain of 6", "chain4", 8 << 20, two, env1);
  try_exec("plain text", "./plain", 8 << 20, two, env1);
  try_exec("not executable", "./noexec", 8 << 20, two, env1);
  try_exec("a directory", "./dir", 8 << 20, two, env1);
  try_exec("missing", "./missing", 8 << 20, two, env1);
  write_file("bad-elf", "\177ELF\7\1\1", 0755);
  try_exec("an ELF of no known class", "./bad-elf", 8 << 20, two, env1);

  /* a failed execve of a multi-threaded process: its other threads go on */
  pthread_t t;
  pipe(pipe_fds);
  pthread_create(&t, NULL, reader, NULL);
  int r = execve("./bad-elf", two, env1);
  printf("threaded execve of a bad ELF: %d %s\n", r, strerrorname_np(errno));
  r = execve(SELF, too_long, env1);
  printf("threaded execve past the room: %d %s\n", r, strerrorname_np(errno));
  fflush(stdout);
  write(pipe_fds[1], "t", 1);
  pthread_join(t, NULL);
  return 0;
}
