/* modify_ldt on both ABIs: reading an empty LDT, the default LDT, writing entries (new and old
 * mode) and reading them back, and the kernel's errno for bad functions, sizes, entries, pointers. */
#include "common.h"
#include <asm/ldt.h>

static void dump(const char *when, int count) {
  unsigned char buf[64];
  memset(buf, 0xa5, sizeof buf);
  long r = syscall(SYS_modify_ldt, 0, buf, count);
  printf("%s: read %ld:", when, r < 0 ? -errno : r);
  for (int i = 0; i < (r > 0 ? r : 0); i++) printf(" %02x", buf[i]);
  printf("\n");
}

static long put(int func, int entry, unsigned base, unsigned limit, unsigned flags, int size) {
  struct user_desc d;
  memset(&d, 0, sizeof d);
  d.entry_number = entry;
  d.base_addr = base;
  d.limit = limit;
  ((unsigned *)&d)[3] = flags;
  long r = syscall(SYS_modify_ldt, func, &d, size);
  printf("modify_ldt(%#x, entry %d, %#x, %#x, %#x, %d) = %ld\n", func, entry, base, limit, flags, size, r < 0 ? -errno : r);
  return r;
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  dump("empty", 64);
  unsigned char def[200];
  memset(def, 0xa5, sizeof def);
  long r = syscall(SYS_modify_ldt, 2, def, sizeof def);
  printf("default: %ld first %02x last %02x\n", r, def[0], def[r > 0 ? r - 1 : 0]);
  put(0x11, 0, 0x1000, 0xff, 0x01, 16);
  put(0x11, 2, 0x12345678, 0xfffff, 0x51, 16);
  dump("two entries", 64);
  dump("short", 12);
  put(1, 2, 0, 0, 0, 16);
  dump("old-mode clear", 64);
  put(0x11, 0, 0, 0, 0x28, 16);
  dump("cleared", 64);
  put(0x11, 1, 0x1000, 0xff, 0x01, 15);
  put(0x11, 8192, 0x1000, 0xff, 0x01, 16);
  put(0x11, 1, 0x1000, 0xff, 0x07, 16);
  put(1, 1, 0x1000, 0xff, 0x07 | 0x20, 16);
  SYS(modify_ldt, 5, BAD, 16);
  SYS(modify_ldt, 0x11, BAD, 16);
  SYS(modify_ldt, 0, BAD, 16);
  return 0;
}
