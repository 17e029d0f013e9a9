/* malloc/free-heavy: a binary search tree of 4000 pseudo-random keys, in-order checksum,
 * height, then everything freed and a second tree built in the recycled memory. */
#include <stdio.h>
#include <stdlib.h>

struct node {
  unsigned key;
  struct node *left, *right;
};

static struct node *insert(struct node *t, unsigned key) {
  struct node **p = &t;
  while (*p) p = key < (*p)->key ? &(*p)->left : &(*p)->right;
  *p = malloc(sizeof **p);
  (*p)->key = key, (*p)->left = (*p)->right = NULL;
  return t;
}

static unsigned walk(const struct node *t, unsigned acc) {
  return t ? walk(t->right, walk(t->left, acc) * 31 + t->key) : acc;
}

static int height(const struct node *t) {
  if (!t) return 0;
  int l = height(t->left), r = height(t->right);
  return 1 + (l > r ? l : r);
}

static void release(struct node *t) {
  if (!t) return;
  release(t->left), release(t->right);
  free(t);
}

int main(void) {
  unsigned seed = 7;
  for (int round = 0; round < 2; round++) {
    struct node *t = NULL;
    for (int i = 0; i < 4000; i++) t = insert(t, (seed = seed * 1103515245u + 12345u) >> 4);
    printf("round %d: in-order hash %08x, height %d\n", round, walk(t, 0), height(t));
    release(t);
  }
  return 0;
}
