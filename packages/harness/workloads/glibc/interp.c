/* A bytecode interpreter loop (switch dispatch: indirect jumps through a table) running a
 * small stack-machine program that counts primes below 3000 by trial division. */
#include <stdio.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MOD, MUL, JLT, JZ, JMP, PRINT, HALT };

/* vars: 0 = n, 1 = d, 2 = count. JLT pops b (top) then a, jumps if b < a. */
static const int PROGRAM[] = {
    PUSH, 2, STORE, 0,                /* 0: n = 2 */
    PUSH, 0, STORE, 2,                /* 4: count = 0 */
    PUSH, 2, STORE, 1,                /* 8 outer: d = 2 */
    LOAD, 1, LOAD, 1, MUL,            /* 12 inner: d * d */
    LOAD, 0, JLT, 37,                 /* 17: n < d * d: prime */
    LOAD, 0, LOAD, 1, MOD, JZ, 44,    /* 21: n % d == 0: not prime */
    LOAD, 1, PUSH, 1, ADD, STORE, 1,  /* 28: d++ */
    JMP, 12,                          /* 35 */
    LOAD, 2, PUSH, 1, ADD, STORE, 2,  /* 37 prime: count++ */
    LOAD, 0, PUSH, 1, ADD, STORE, 0,  /* 44 next: n++ */
    PUSH, 3000, LOAD, 0, JLT, 8,      /* 51: n < 3000: outer */
    LOAD, 2, PRINT, HALT,             /* 57 */
};

int main(void) {
  int stack[16], sp = 0, vars[4] = {0}, pc = 0;
  unsigned long steps = 0;
  for (;;) {
    steps++;
    switch (PROGRAM[pc++]) {
    case PUSH: stack[sp++] = PROGRAM[pc++]; break;
    case LOAD: stack[sp++] = vars[PROGRAM[pc++]]; break;
    case STORE: vars[PROGRAM[pc++]] = stack[--sp]; break;
    case ADD: sp--, stack[sp - 1] += stack[sp]; break;
    case SUB: sp--, stack[sp - 1] -= stack[sp]; break;
    case MOD: sp--, stack[sp - 1] %= stack[sp]; break;
    case MUL: sp--, stack[sp - 1] *= stack[sp]; break;
    case JLT: sp -= 2, pc = stack[sp + 1] < stack[sp] ? PROGRAM[pc] : pc + 1; break;
    case JZ: pc = stack[--sp] == 0 ? PROGRAM[pc] : pc + 1; break;
    case JMP: pc = PROGRAM[pc]; break;
    case PRINT: printf("primes below 3000: %d\n", stack[--sp]); break;
    case HALT: printf("%lu bytecodes executed\n", steps); return 0;
    }
  }
}
