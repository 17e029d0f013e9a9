/* get_thread_area (i386): the TLS entries of the GDT read back as set_thread_area left them
 * (base, limit, the flag bits), a cleared entry, and EINVAL/EFAULT for other entries and bad
 * pointers. glibc's own entry is shown without its base (an address of this run). */
#include "common.h"
#include <asm/ldt.h>

static void show(const char *when, int entry) {
  struct user_desc d;
  memset(&d, 0xa5, sizeof d);
  d.entry_number = entry;
  long r = syscall(SYS_get_thread_area, &d);
  if (r < 0) {
    printf("%s: get_thread_area(%d) = -1 %s\n", when, entry, strerrorname_np(errno));
    return;
  }
  unsigned flags = ((unsigned *)&d)[3];
  printf("%s: entry %u base %s%#x limit %#x flags %#x\n", when, d.entry_number, entry == 12 ? "(glibc's) " : "", entry == 12 ? 0 : d.base_addr, d.limit, flags);
}

static long set(int entry, unsigned base, unsigned limit, unsigned flags) {
  struct user_desc d;
  memset(&d, 0, sizeof d);
  d.entry_number = entry;
  d.base_addr = base;
  d.limit = limit;
  ((unsigned *)&d)[3] = flags;
  long r = syscall(SYS_set_thread_area, &d);
  printf("set_thread_area(%d, %#x, %#x, %#x) = %ld\n", entry, base, limit, flags, r < 0 ? -errno : r);
  return r;
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  for (int e = 11; e <= 15; e++) show("start", e);
  set(13, 0x12345678, 0xfffff, 0x51); /* seg_32bit, limit_in_pages, useable */
  show("13 set", 13);
  set(14, 0xabcdef00, 0x12345, 0x09); /* seg_32bit, read_exec_only */
  show("14 set", 14);
  set(14, 0x1000, 0x1, 0x03); /* seg_32bit, contents 1 (expand-down) */
  show("14 again", 14);
  set(13, 0, 0, 0x28); /* LDT_empty: cleared */
  show("13 cleared", 13);
  set(14, 0, 0, 0);
  show("14 zeroed", 14);
  show("-1", -1);
  show("big", 1000);
  SYS(get_thread_area, BAD);
  SYS(get_thread_area, 0);
  return 0;
}
