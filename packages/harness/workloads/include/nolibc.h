/*
 * Minimal runtime for the -nostdlib workloads (thin and smc): an assembly _start that
 * calls start_main(argc, argv) and exits with its result, i386 `int $0x80` system-call
 * wrappers, and decimal/hex printing. No libc, no x87/SSE: only general integer code.
 */
#ifndef DBTLAB_NOLIBC_H
#define DBTLAB_NOLIBC_H

#define NR_exit 1
#define NR_read 3
#define NR_write 4
#define NR_pipe 42
#define NR_mmap2 192

int start_main(int argc, char **argv);

/* The kernel leaves argc at (%esp) and argv right above it; keep %esp 16-byte aligned. */
__asm__(".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov %esp, %eax\n"
        "  lea 4(%eax), %edx\n"
        "  and $-16, %esp\n"
        "  sub $8, %esp\n"
        "  push %edx\n"
        "  push (%eax)\n"
        "  call start_main\n"
        "  mov %eax, %ebx\n"
        "  mov $1, %eax\n"
        "  int $0x80\n"
        "  hlt\n");

static inline int sys1(int nr, int a) {
  int r;
  __asm__ volatile("int $0x80" : "=a"(r) : "0"(nr), "b"(a) : "memory");
  return r;
}

static inline int sys3(int nr, int a, int b, int c) {
  int r;
  __asm__ volatile("int $0x80" : "=a"(r) : "0"(nr), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}

static inline int sys6(int nr, int a, int b, int c, int d, int e, int f) {
  int r;
  /* %ebp, the sixth argument, may be gcc's frame pointer: save it, and load it (and %ebx)
     through a pointer, since an %esp-relative operand would be off by the push. */
  const int ebx_ebp[2] = {a, f};
  const int *p = ebx_ebp;
  __asm__ volatile("push %%ebp\n\tmov 4(%%ebx), %%ebp\n\tmov (%%ebx), %%ebx\n\tint $0x80\n\tpop %%ebp"
                   : "=a"(r), "+b"(p)
                   : "0"(nr), "c"(b), "d"(c), "S"(d), "D"(e), "m"(ebx_ebp)
                   : "memory");
  return r;
}

static inline __attribute__((noreturn)) void sys_exit(int status) {
  sys1(NR_exit, status);
  __builtin_unreachable();
}

static inline int str_len(const char *s) {
  int n = 0;
  while (s[n]) n++;
  return n;
}

static inline void put_buf(const char *s, int n) { sys3(NR_write, 1, (int)s, n); }
static inline void put_str(const char *s) { put_buf(s, str_len(s)); }

/* Formats into the end of a small buffer, then writes it with one system call. */
static inline void put_dec(unsigned v) {
  char buf[12];
  int i = sizeof buf;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put_buf(buf + i, (int)sizeof buf - i);
}

static inline void put_hex(unsigned v) {
  char buf[8];
  for (int i = 7; i >= 0; i--, v >>= 4) buf[i] = "0123456789abcdef"[v & 15];
  put_buf(buf, 8);
}

#endif
