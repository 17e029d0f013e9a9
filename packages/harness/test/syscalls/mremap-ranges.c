/* mremap's old range must be one mapping (vma_lookup, then old_len within it): an unmapped start,
 * a range running past its mapping's end, one at the top of memory (on i386 also wrapping past
 * 4 GiB) and an old_size 0 over nothing are EFAULT; growing in place into a hole without
 * MREMAP_MAYMOVE is ENOMEM; a new size 0 EINVAL before the lookup. */
#include "common.h"
#include <sys/mman.h>

static void r(const char *what, void *p) {
  printf("%s: %s\n", what, p == MAP_FAILED ? strerrorname_np(errno) : "ok");
}

int main(void) {
  char *a = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(a + 4096, 4096);
  r("unmapped start", mremap(a + 4096, 4096, 8192, MREMAP_MAYMOVE));
  r("past its mapping's end", mremap(a, 8192, 16384, MREMAP_MAYMOVE));
  r("grow in place into a hole", mremap(a, 4096, 3 * 4096, 0));
  r("top of memory", mremap((void *)0xfffff000, 4096, 8192, MREMAP_MAYMOVE));
  r("past the top", mremap((void *)0xfffff000, 8192, 8192, MREMAP_MAYMOVE));
  r("new size 0 over nothing", mremap(a + 4096, 4096, 0, 0));
  r("old size 0 over nothing", mremap(a + 4096, 0, 4096, MREMAP_MAYMOVE));
  r("unaligned", mremap(a + 1, 4096, 4096, 0));
  r("fits", mremap(a, 4096, 4096, 0));
  return 0;
}
