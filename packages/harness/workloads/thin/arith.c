/*
 * Integer instructions beyond plain add/sub: mul/imul/div/idiv at 8, 16 and 32 bits,
 * adc/sbb, rcl/rcr, shld/shrd, bsf/bsr, bt/bts/btr/btc, setcc, cmovcc, bswap, xadd,
 * cmpxchg, xchg, movsx/movzx, cbw/cwde/cdq, neg/not. Every result, and the flags that
 * setc/seto/sets/setz/setp read back, feed a running hash printed per group.
 */
#include "../include/nolibc.h"

static unsigned hash;
static void mix(unsigned v) { hash = (hash ^ v) * 0x01000193u; }

/* The defined result flags (CF, PF, ZF, SF, OF) after an instruction, read with pushf. */
#define FLAGS_OUT "pushfl\n\tpopl %[fl]"
#define FLAGS_MASK 0x8c5u

static unsigned lcg(unsigned *s) { return *s = *s * 1664525u + 1013904223u; }

static void print_group(const char *name) {
  put_str(name);
  put_str(" ");
  put_hex(hash);
  put_str("\n");
}

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  unsigned seed = 2024;
  for (int i = 0; i < 2000; i++) {
    unsigned a = lcg(&seed), b = lcg(&seed) | 1;
    unsigned lo, hi;
    unsigned fl;
    __asm__("mull %[b]\n\t" FLAGS_OUT : "=a"(lo), "=d"(hi), [fl] "=r"(fl) : "a"(a), [b] "r"(b) : "cc");
    mix(lo), mix(hi), mix(fl & 0x801); /* mul defines only CF and OF */
    __asm__("imull %[b]" : "=a"(lo), "=d"(hi) : "a"(a), [b] "r"(b) : "cc");
    mix(lo), mix(hi);
    int q, r;
    __asm__("cdq\n\tidivl %[b]" : "=a"(q), "=d"(r) : "a"((int)a >> 1), [b] "r"((int)b >> 3 | 1) : "cc");
    mix((unsigned)q), mix((unsigned)r);
    __asm__("divl %[b]" : "=a"(lo), "=d"(hi) : "a"(a), "d"(a % b), [b] "r"(b) : "cc");
    mix(lo), mix(hi);
    unsigned short w = (unsigned short)a, wb = (unsigned short)(b | 0x100), wq, wr;
    __asm__("xorw %%dx, %%dx\n\tdivw %[b]" : "=a"(wq), "=&d"(wr) : "a"(w), [b] "r"(wb) : "cc");
    mix(wq), mix(wr);
    /* |dividend| < 2048 and divisor in 64..127: the quotient fits in a signed byte */
    unsigned ax = (unsigned)((int)(a << 20) >> 20) & 0xffff, bl = (b & 0x3f) | 0x40;
    __asm__("idivb %b[b]" : "+a"(ax) : [b] "q"(bl) : "cc");
    mix(ax & 0xffff);
    __asm__("mulb %b[b]" : "+a"(ax) : [b] "q"(bl) : "cc");
    mix(ax & 0xffff);
  }
  print_group("muldiv");
  for (int i = 0; i < 2000; i++) {
    unsigned a = lcg(&seed), b = lcg(&seed), c = a, d = b, sh = b & 31;
    unsigned fl;
    __asm__("addl %[b], %[a]\n\tadcl %[b], %[c]\n\tsbbl %[a], %[d]\n\t" FLAGS_OUT
            : [a] "+r"(a), [c] "+r"(c), [d] "+r"(d), [fl] "=r"(fl) : [b] "r"(b) : "cc");
    mix(a), mix(c), mix(d), mix(fl & FLAGS_MASK);
    __asm__("stc\n\trcll %%cl, %[a]\n\trcrl $3, %[c]\n\tshldl %%cl, %[d], %[a]\n\tshrdl %%cl, %[a], %[d]"
            : [a] "+r"(a), [c] "+r"(c), [d] "+r"(d) : "c"(sh) : "cc");
    mix(a), mix(c), mix(d);
    __asm__("roll %%cl, %[a]\n\trorl $5, %[c]\n\tsarl %%cl, %[d]\n\tnegl %[c]\n\tnotl %[a]\n\t" FLAGS_OUT
            : [a] "+r"(a), [c] "+r"(c), [d] "+r"(d), [fl] "=r"(fl) : "c"(sh) : "cc");
    mix(a), mix(c), mix(d), mix(fl & FLAGS_MASK); /* neg sets all five; not keeps them */
  }
  print_group("carry-shift");
  for (int i = 0; i < 2000; i++) {
    unsigned a = lcg(&seed) >> (i & 15), b = lcg(&seed), fwd, rev, bt, zf;
    __asm__("bsfl %[a], %[f]\n\tsetz %b[z]" : [f] "=r"(fwd), [z] "=q"(zf) : [a] "r"(a), "0"(77) : "cc");
    mix(zf ? 77 : fwd);
    __asm__("bsrl %[a], %[r]" : [r] "=r"(rev) : [a] "r"(a | 1) : "cc");
    mix(rev);
    unsigned x = b;
    __asm__("btl %[n], %[x]\n\tsetc %b[bt]\n\tbtsl $3, %[x]\n\tbtrl %[n], %[x]\n\tbtcl $17, %[x]"
            : [x] "+r"(x), [bt] "=q"(bt) : [n] "r"(a & 31) : "cc");
    mix(x), mix(bt & 1);
    unsigned m = b, got = a;
    __asm__("cmpl %[a], %[b]\n\tcmovbl %[a], %[m]\n\tcmovgl %[b], %[got]" : [m] "+r"(m), [got] "+r"(got) : [a] "r"(a), [b] "r"(b) : "cc");
    mix(m), mix(got);
    unsigned bs = a;
    __asm__("bswap %0" : "+r"(bs));
    mix(bs);
    unsigned mem = b, add = a;
    __asm__("xaddl %[add], %[mem]" : [mem] "+m"(mem), [add] "+r"(add) : : "cc");
    mix(mem), mix(add);
    unsigned expected = (i & 1) ? mem : a, desired = b ^ a;
    __asm__("lock cmpxchgl %[desired], %[mem]" : [mem] "+m"(mem), "+a"(expected) : [desired] "r"(desired) : "cc", "memory");
    mix(mem), mix(expected);
    unsigned p = a, q2 = b;
    __asm__("xchgl %[p], %[q]" : [p] "+r"(p), [q] "+r"(q2));
    mix(p - q2);
    int sx;
    __asm__("movsbl %b[a], %[sx]" : [sx] "=r"(sx) : [a] "q"(a));
    mix((unsigned)sx);
    __asm__("movswl %w[a], %[sx]" : [sx] "=r"(sx) : [a] "r"(a));
    mix((unsigned)sx);
    unsigned ext = a;
    __asm__("cbtw\n\tcwtl" : "+a"(ext));
    mix(ext);
  }
  print_group("bits-cmov-atomics");
  return 0;
}
