/* Bytes as " %02x" each, formatted by hand: a probe printing dozens of bytes a line with one printf
   call each spends most of its run through dbtlab in printf (split-store.c, sse-faults.c, stack-multi-store.c). */
static const char *hex_bytes(char *out, const unsigned char *b, int n) {
  for (int i = 0; i < n; i++) {
    out[3 * i] = ' ';
    out[3 * i + 1] = "0123456789abcdef"[b[i] >> 4];
    out[3 * i + 2] = "0123456789abcdef"[b[i] & 15];
  }
  out[3 * n] = 0;
  return out;
}
