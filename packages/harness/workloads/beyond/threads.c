/* Threads: 4 pthreads sum shares of an array under a mutex, meet at a barrier, then take
 * turns (a condition variable passes a token round the ring 50 times) and join; C11 atomics
 * count the turns. Prints only results that do not depend on scheduling. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define THREADS 4
#define N 100000
#define ROUNDS 50

static int data[N];
static long long total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static int turn;
static atomic_int turns_taken;

static void *worker(void *arg) {
  int k = (int)(long)arg;
  long long s = 0;
  for (int i = k; i < N; i += THREADS) s += data[i];
  pthread_mutex_lock(&lock);
  total += s;
  pthread_mutex_unlock(&lock);
  pthread_barrier_wait(&barrier);
  for (int r = 0; r < ROUNDS; r++) {
    pthread_mutex_lock(&lock);
    while (turn % THREADS != k) pthread_cond_wait(&turn_changed, &lock);
    turn++;
    atomic_fetch_add(&turns_taken, 1);
    pthread_cond_broadcast(&turn_changed);
    pthread_mutex_unlock(&lock);
  }
  return (void *)(long)(k * 10);
}

int main(void) {
  for (int i = 0; i < N; i++) data[i] = (i * 2654435761u) >> 20;
  pthread_barrier_init(&barrier, 0, THREADS);
  pthread_t t[THREADS];
  for (long k = 0; k < THREADS; k++)
    if (pthread_create(&t[k], 0, worker, (void *)k) != 0) return perror("pthread_create"), 1;
  long codes = 0;
  for (int k = 0; k < THREADS; k++) {
    void *ret;
    pthread_join(t[k], &ret);
    codes += (long)ret;
  }
  long long expect = 0;
  for (int i = 0; i < N; i++) expect += data[i];
  printf("total %lld (expected %lld), turns %d, join codes %ld\n", total, expect, atomic_load(&turns_taken), codes);
  return 0;
}
