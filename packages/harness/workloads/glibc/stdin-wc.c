/* wc for stdin: lines, words and bytes of what it reads (the registry supplies the text),
 * plus the longest line, read with the read() system call in small chunks. */
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  char buf[37]; /* small and odd-sized: many reads, words split across chunks */
  unsigned lines = 0, words = 0, bytes = 0, longest = 0, cur = 0;
  int in_word = 0;
  ssize_t n;
  while ((n = read(0, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++) {
      unsigned char ch = (unsigned char)buf[i];
      bytes++;
      if (ch == '\n') {
        lines++;
        longest = cur > longest ? cur : longest;
        cur = 0;
      } else {
        cur++;
      }
      if (isspace(ch)) in_word = 0;
      else if (!in_word) in_word = 1, words++;
    }
  }
  printf("%u lines, %u words, %u bytes, longest line %u\n", lines, words, bytes, longest);
  return n < 0;
}
