/* String functions of glibc: tokenize, copy, concatenate, search, compare and sort words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char TEXT[] =
    "the quick brown fox jumps over the lazy dog while a translator turns every block of "
    "guest code into host code and the exec loop looks up the next block in its cache";

static int cmp_words(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(void) {
  char text[sizeof TEXT];
  char *words[64];
  int n = 0;
  strcpy(text, TEXT);
  for (char *w = strtok(text, " "); w && n < 64; w = strtok(NULL, " ")) words[n++] = w;
  qsort(words, n, sizeof words[0], cmp_words);
  char joined[512] = "";
  for (int i = 0; i < n; i++) {
    if (i && strcmp(words[i], words[i - 1]) == 0) continue;
    strcat(joined, words[i]);
    strcat(joined, i + 1 < n ? "," : "");
  }
  printf("%d words, sorted unique: %s\n", n, joined);
  printf("strlen %zu, strstr \"exec\" at %td, strchr 'z' at %td, strrchr 'q' at %td\n",
         strlen(TEXT), strstr(TEXT, "exec") - TEXT, strchr(TEXT, 'z') - TEXT,
         strrchr(TEXT, 'q') - TEXT);
  unsigned hash = 5381;
  for (int round = 0; round < 200; round++) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s-%d-%s", words[round % n], round, words[(round * 7) % n]);
    for (const char *p = buf; *p; p++) hash = hash * 33 ^ (unsigned char)*p;
    if (memcmp(buf, "the", 3) == 0) hash += strspn(buf, "the");
  }
  printf("djb2 of 200 formatted strings: %08x\n", hash);
  return 0;
}
