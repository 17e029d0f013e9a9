/* mincore reports which pages are resident: memory comes on first touch (read or write),
 * MADV_DONTNEED gives private anonymous pages back, shared anonymous pages touched by another
 * process are resident for all; a file's cached pages end with it, a memfd's exist once written;
 * errors EINVAL (unaligned), ENOMEM (unmapped), EFAULT (vec). */
#include "common.h"
#include <fcntl.h>
#include <sys/mman.h>

#define PAGE 4096

static void show(const char *what, void *addr, int pages) {
  unsigned char vec[64];
  if (report(what, syscall(SYS_mincore, addr, (size_t)pages * PAGE, vec)) < 0) return;
  for (int i = 0; i < pages; i++) putchar('0' + (vec[i] & 1));
  putchar('\n');
  fflush(stdout);
}

int main(void) {
  volatile char *anon = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  show("fresh anonymous", (void *)anon, 16);
  anon[3 * PAGE] = 1;
  (void)anon[5 * PAGE + 7];
  anon[15 * PAGE + 4095] = 2;
  show("after touching 3, 5 (read), 15", (void *)anon, 16);
  madvise((void *)(anon + 3 * PAGE), PAGE, MADV_DONTNEED);
  show("after MADV_DONTNEED of 3", (void *)anon, 16);
  printf("page 3 reads %d\n", anon[3 * PAGE]);
  show("after reading 3 again", (void *)anon, 16);

  volatile char *shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  show("fresh shared", (void *)shared, 4);
  pid_t pid = fork();
  if (pid == 0) {
    shared[PAGE] = 7;
    _exit(0);
  }
  wait_child(pid);
  show("shared after the child touched 1", (void *)shared, 4);
  madvise((void *)shared, 4 * PAGE, MADV_DONTNEED);
  show("shared after MADV_DONTNEED", (void *)shared, 4);
  printf("shared page 1 reads %d\n", shared[PAGE]);

  volatile char *ro = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  (void)ro[PAGE];
  show("read-only, page 1 read", (void *)ro, 2);

  int fd = open("file", O_CREAT | O_RDWR | O_TRUNC, 0644);
  static char bytes[2 * PAGE];
  write(fd, bytes, sizeof bytes);
  show("a file just written, mapped", mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0), 2);
  /* the file's cached pages: up to its end (the page holding it included), none past it */
  pwrite(fd, bytes, 100, 2 * PAGE);
  show("a file of 2 pages and 100 bytes, mapped 4", mmap(NULL, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0), 4);
  /* a memfd's pages exist once written: none after ftruncate, the page a mapping wrote */
  int mfd = memfd_create("mincore", 0);
  ftruncate(mfd, 4 * PAGE);
  char *mem = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  show("a memfd, sized", mem, 4);
  mem[PAGE] = 1;
  show("a memfd, page 1 written", mem, 4);
  show("a memfd, mapped again privately", mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, mfd, 0), 4);

  char stackvar[16] = {1};
  show("the stack page", (void *)((unsigned long)stackvar & ~(unsigned long)(PAGE - 1)), 1);

  SYS(mincore, anon + 1, PAGE, (unsigned char[1]){0});
  munmap((void *)(anon + 8 * PAGE), PAGE);
  unsigned char vec[16];
  SYS(mincore, anon, 16 * PAGE, vec);
  SYS(mincore, anon, PAGE, BAD);
  SYS(mincore, anon, 0, vec);
  return 0;
}
