/* SysV IPC between processes: shared memory really shared (fork, a second attach), semaphores
 * that block and wake across processes (SEM_UNDO at exit, EIDRM when removed), message queues
 * (type rules, E2BIG/MSG_NOERROR, full queue, blocking receive), the i386 ipc() multiplexer and
 * the old (non-IPC_64) structures; errno on bad arguments and bad pointers. Prints no ids,
 * times or addresses: only what Linux decides. */
#include "common.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>

#define KEY 0x5eed1a00
#define IPC_64 0x100

static void show(const char *what, long r) { report(what, r); }

/* Long enough for a forked child to reach its blocking call (no counter shows a blocked msgrcv). */
static void nap(void) {
  struct timespec ts = {0, 100000000};
  nanosleep(&ts, 0);
}

/* Keys left over by an earlier run (on a shared kernel) are removed first. */
static void cleanup(void) {
  for (int k = 0; k < 4; k++) {
    int id = shmget(KEY + k, 0, 0);
    if (id >= 0) shmctl(id, IPC_RMID, 0);
    id = semget(KEY + k, 0, 0);
    if (id >= 0) semctl(id, 0, IPC_RMID);
    id = msgget(KEY + k, 0);
    if (id >= 0) msgctl(id, IPC_RMID, 0);
  }
}

static void shm_tests(void) {
  show("shmget size 0", shmget(IPC_PRIVATE, 0, 0600));
  show("shmget missing key", shmget(KEY, 4096, 0600));
  int id = shmget(KEY, 10000, IPC_CREAT | 0640);
  printf("shmget create %s\n", id >= 0 ? "ok" : strerrorname_np(errno));
  printf("shmget same key %s\n", shmget(KEY, 4096, 0) == id ? "same id" : "other");
  show("shmget excl", shmget(KEY, 4096, IPC_CREAT | IPC_EXCL | 0600));
  show("shmget bigger", shmget(KEY, 20000, 0));
  show("shmat bad id", (long)shmat(-1, 0, 0) == -1 ? -1 : 0);
  show("shmat misaligned", (long)shmat(id, (void *)0x10000001, 0) == -1 ? -1 : 0);
  show("shmctl bad cmd", shmctl(id, 99, 0));
  show("shmctl stat EFAULT", syscall(SYS_shmctl, id, IPC_STAT | IPC_64, BAD));
  show("shmdt not attached", shmdt((void *)0x10000000));
  volatile int *a = shmat(id, 0, 0);
  volatile int *b = shmat(id, 0, 0);
  printf("two attachments %s\n", a != b && a != (void *)-1 ? "distinct" : "bad");
  a[0] = 41;
  b[1] = 42;
  printf("a[1]=%d b[0]=%d\n", a[1], b[0]);
  pid_t pid = fork();
  if (pid == 0) {
    a[0] = 1000 + a[0];
    _exit(0);
  }
  wait_child(pid);
  printf("after child store a[0]=%d b[0]=%d\n", a[0], b[0]);
  struct shmid_ds ds;
  shmctl(id, IPC_STAT, &ds);
  printf("stat segsz=%lu nattch=%lu mode=%o cpid-self=%d lpid-child=%d cuid-self=%d atime=%d dtime=%d\n", (unsigned long)ds.shm_segsz,
         (unsigned long)ds.shm_nattch, (unsigned)ds.shm_perm.mode, ds.shm_cpid == getpid(), ds.shm_lpid == pid,
         ds.shm_perm.cuid == geteuid(), ds.shm_atime != 0, ds.shm_dtime != 0);
  /* a read-only attachment faults on a store (SIGSEGV in a child) */
  pid = fork();
  if (pid == 0) {
    volatile int *r = shmat(id, 0, SHM_RDONLY);
    printf("ro read %d\n", r[0]);
    fflush(stdout);
    r[0] = 7;
    _exit(0);
  }
  wait_child(pid);
  show("shmdt b", shmdt((void *)b));
  show("shmdt b again", shmdt((void *)b));
  /* removed while attached: still there by id, SHM_DEST, key private */
  show("shmctl rmid", shmctl(id, IPC_RMID, 0));
  shmctl(id, IPC_STAT, &ds);
  printf("after rmid nattch=%lu mode=%o key=%d\n", (unsigned long)ds.shm_nattch, (unsigned)ds.shm_perm.mode, ds.shm_perm.__key);
  show("shmget key after rmid", shmget(KEY, 4096, 0));
  show("shmdt a", shmdt((void *)a));
  show("shmctl stat after last detach", shmctl(id, IPC_STAT, &ds));
  /* attach at a chosen address, SHM_RND, SHM_REMAP */
  id = shmget(IPC_PRIVATE, 8192, 0600);
  char *want = (char *)0x30000000;
  char *at = shmat(id, want + 100, SHM_RND);
  printf("shm_rnd at wanted %d\n", at == want);
  show("shmat over it", (long)shmat(id, want, 0) == -1 ? -1 : 0);
  printf("shm_remap %d\n", shmat(id, want, SHM_REMAP) == want);
  show("shmdt remapped", shmdt(want));
  show("shmdt first", shmdt(want));
  shmctl(id, IPC_RMID, 0);
  /* ipc() multiplexer: SHMGET, SHMAT with the address through *third, SHMCTL old layout */
  id = syscall(SYS_ipc, 23 /* SHMGET */, IPC_PRIVATE, 4096, 0600, 0, 0);
  unsigned long raddr = 0;
  show("ipc shmat", syscall(SYS_ipc, 21 /* SHMAT */, id, 0, &raddr, 0, 0));
  ((int *)raddr)[0] = 5;
  show("ipc shmat raddr EFAULT", syscall(SYS_ipc, 21, id, 0, BAD, 0, 0));
  unsigned char old[48];
  memset(old, 0xee, sizeof old);
  show("ipc shmctl old stat", syscall(SYS_ipc, 24 /* SHMCTL */, id, IPC_STAT, 0, old, 0));
  printf("old shmid_ds mode=%o segsz=%d nattch=%d\n", *(uint16_t *)(old + 12), *(int *)(old + 16), *(uint16_t *)(old + 36));
  unsigned char wide[84];
  show("ipc shmctl 64 stat", syscall(SYS_ipc, 24, id, IPC_STAT | IPC_64, 0, wide, 0));
  printf("shmid64_ds mode=%o segsz=%u nattch=%u\n", *(uint16_t *)(wide + 20), *(uint32_t *)(wide + 36), *(uint32_t *)(wide + 72));
  show("ipc shmdt", syscall(SYS_ipc, 22 /* SHMDT */, 0, 0, 0, raddr, 0));
  show("ipc bad call", syscall(SYS_ipc, 99, 0, 0, 0, 0, 0));
  shmctl(id, IPC_RMID, 0);
  /* permissions: a segment without write permission cannot be attached read-write (unless root) */
  id = shmget(IPC_PRIVATE, 4096, 0400);
  long r = (long)shmat(id, 0, 0);
  printf("attach rw of 0400: %s\n", r != -1 ? (geteuid() == 0 ? "ok (root)" : "ok?!") : (geteuid() == 0 ? "fail as root?!" : strerrorname_np(errno)));
  shmctl(id, IPC_RMID, 0);
  /* anonymous MAP_SHARED memory is shared with a forked child (MAP_PRIVATE is not) */
  volatile int *sh = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  volatile int *pr = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  sh[1500] = 1;
  pr[1500] = 1;
  pid = fork();
  if (pid == 0) {
    sh[1500] += 10;
    sh[0] = 3;
    pr[1500] += 10;
    _exit(0);
  }
  wait_child(pid);
  printf("map_shared %d %d map_private %d\n", sh[1500], sh[0], pr[1500]);
}

static int semval(int id, int n) { return semctl(id, n, GETVAL); }

static void sem_tests(void) {
  show("semget nsems 0 create", semget(IPC_PRIVATE, 0, 0600));
  show("semget nsems too many", semget(IPC_PRIVATE, 40000, 0600));
  int id = semget(KEY + 1, 3, IPC_CREAT | 0600);
  printf("semget %s\n", id >= 0 ? "ok" : strerrorname_np(errno));
  show("semget more than it has", semget(KEY + 1, 4, 0));
  show("semget fewer", semget(KEY + 1, 2, 0) == id ? 0 : -1);
  show("setval", semctl(id, 0, SETVAL, 2));
  show("setval range", semctl(id, 0, SETVAL, 40000));
  show("setval neg", semctl(id, 0, SETVAL, -1));
  show("setval bad semnum", semctl(id, 5, SETVAL, 1));
  show("getval", semctl(id, 0, GETVAL));
  unsigned short all[3] = {4, 5, 6}, got[3] = {0};
  show("setall", semctl(id, 0, SETALL, all));
  show("getall", semctl(id, 0, GETALL, got));
  printf("all %d %d %d\n", got[0], got[1], got[2]);
  unsigned short big[3] = {1, 40000, 1};
  show("setall range", semctl(id, 0, SETALL, big));
  show("getall EFAULT", semctl(id, 0, GETALL, BAD));
  show("getpid", semctl(id, 1, GETPID) == getpid() ? 0 : -1);
  struct sembuf op[2] = {{0, -4, IPC_NOWAIT}, {1, -6, IPC_NOWAIT}};
  show("semop would block", semop(id, op, 2));
  printf("unchanged %d %d\n", semval(id, 0), semval(id, 1));
  op[1].sem_op = -5;
  show("semop both", semop(id, op, 2));
  printf("now %d %d\n", semval(id, 0), semval(id, 1));
  struct sembuf z = {0, 0, IPC_NOWAIT};
  show("semop wait-for-zero", semop(id, &z, 1));
  struct sembuf inc = {2, 32767, 0};
  show("semop ERANGE", semop(id, &inc, 1));
  struct sembuf far = {3, 1, 0};
  show("semop EFBIG", semop(id, &far, 1));
  show("semop nsops 0", semop(id, &far, 0));
  static struct sembuf many[501];
  show("semop E2BIG", semop(id, many, 501));
  show("semop EFAULT", semop(id, BAD, 1));
  show("semop bad id", semop(-1, &far, 1));
  struct sembuf dec = {0, -1, 0};
  struct timespec ts = {0, 20000000};
  show("semtimedop timeout", semtimedop(id, &dec, 1, &ts));
  struct timespec badts = {0, 2000000000};
  show("semtimedop bad timeout", semtimedop(id, &dec, 1, &badts));
  /* a child blocks on semaphore 0; the parent sees it counted, then releases it */
  pid_t pid = fork();
  if (pid == 0) {
    struct sembuf d = {0, -1, 0};
    int r = semop(id, &d, 1);
    printf("child semop %d\n", r);
    _exit(0);
  }
  while (semctl(id, 0, GETNCNT) != 1) nap();
  printf("ncnt %d zcnt %d\n", semctl(id, 0, GETNCNT), semctl(id, 0, GETZCNT));
  struct sembuf up = {0, 1, 0};
  /* results printed after the child's (which runs first once woken is up to the scheduler) */
  long r = semop(id, &up, 1);
  wait_child(pid);
  show("semop release", r);
  printf("after release %d pid-child %d\n", semval(id, 0), semctl(id, 0, GETPID) == pid);
  /* SEM_UNDO: the child's +3 is undone when it exits */
  pid = fork();
  if (pid == 0) {
    struct sembuf u = {2, 3, SEM_UNDO};
    semop(id, &u, 1);
    printf("child sees %d\n", semval(id, 2));
    _exit(0);
  }
  wait_child(pid);
  printf("undone %d\n", semval(id, 2));
  struct semid_ds ds;
  show("ipc_stat", semctl(id, 0, IPC_STAT, &ds));
  printf("nsems=%lu mode=%o otime=%d\n", (unsigned long)ds.sem_nsems, (unsigned)ds.sem_perm.mode, ds.sem_otime != 0);
  ds.sem_perm.mode = 0640;
  show("ipc_set", semctl(id, 0, IPC_SET, &ds));
  semctl(id, 0, IPC_STAT, &ds);
  printf("mode after set %o\n", (unsigned)ds.sem_perm.mode);
  /* removed while a child waits: EIDRM */
  pid = fork();
  if (pid == 0) {
    struct sembuf zero = {1, 0, 0};
    semctl(id, 1, SETVAL, 1);
    int r = semop(id, &zero, 1);
    printf("child waiting for zero: %d %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    _exit(0);
  }
  while (semctl(id, 1, GETZCNT) != 1) nap();
  r = semctl(id, 0, IPC_RMID);
  wait_child(pid);
  show("semctl rmid", r);
  show("getval after rmid", semctl(id, 0, GETVAL));
  /* the multiplexer: SEMCTL takes the union by reference */
  id = syscall(SYS_ipc, 2 /* SEMGET */, IPC_PRIVATE, 1, 0600, 0, 0);
  int v = 9;
  show("ipc semctl setval", syscall(SYS_ipc, 3 /* SEMCTL */, id, 0, SETVAL, &v, 0));
  show("ipc semctl NULL", syscall(SYS_ipc, 3, id, 0, GETVAL, 0, 0));
  show("ipc semctl getval", syscall(SYS_ipc, 3, id, 0, GETVAL, &v, 0));
  struct sembuf d2 = {0, -9, 0};
  show("ipc semop", syscall(SYS_ipc, 1 /* SEMOP */, id, 1, 0, &d2, 0));
  show("ipc semtimedop", syscall(SYS_ipc, 4 /* SEMTIMEDOP */, id, 1, 0, &d2, &ts));
  unsigned char old[44];
  unsigned long arg = (unsigned long)old;
  show("ipc semctl old stat", syscall(SYS_ipc, 3, id, 0, IPC_STAT, &arg, 0));
  printf("old semid_ds mode=%o nsems=%d\n", *(uint16_t *)(old + 12), *(uint16_t *)(old + 40));
  semctl(id, 0, IPC_RMID);
}

struct msg {
  long type;
  char text[64];
};

static void msg_tests(void) {
  show("msgget missing", msgget(KEY + 2, 0600));
  int id = msgget(KEY + 2, IPC_CREAT | 0600);
  printf("msgget %s\n", id >= 0 ? "ok" : strerrorname_np(errno));
  struct msg m = {3, "three"};
  show("msgsnd 3", msgsnd(id, &m, 6, 0));
  m.type = 1, strcpy(m.text, "one");
  show("msgsnd 1", msgsnd(id, &m, 4, 0));
  m.type = 2, strcpy(m.text, "two");
  show("msgsnd 2", msgsnd(id, &m, 4, 0));
  m.type = 0;
  show("msgsnd type 0", msgsnd(id, &m, 4, 0));
  m.type = 1;
  show("msgsnd too big", msgsnd(id, &m, 9000, 0));
  show("msgsnd EFAULT", msgsnd(id, BAD, 4, 0));
  struct msqid_ds ds;
  msgctl(id, IPC_STAT, &ds);
  printf("qnum=%lu cbytes=%lu qbytes=%lu lspid-self=%d\n", (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, ds.msg_lspid == getpid());
  struct msg r;
  show("msgrcv E2BIG", msgrcv(id, &r, 2, 0, 0));
  show("msgrcv noerror", msgrcv(id, &r, 2, 0, MSG_NOERROR));
  printf("got type %ld '%.2s'\n", r.type, r.text);
  m.type = 3, strcpy(m.text, "three");
  msgsnd(id, &m, 6, 0);
  show("msgrcv -2", msgrcv(id, &r, 64, -2, 0));
  printf("got type %ld '%s'\n", r.type, r.text);
  show("msgrcv except 2", msgrcv(id, &r, 64, 2, MSG_EXCEPT));
  printf("got type %ld '%s'\n", r.type, r.text);
  show("msgrcv copy needs nowait", msgrcv(id, &r, 64, 0, MSG_COPY));
  show("msgrcv copy 0", msgrcv(id, &r, 64, 0, MSG_COPY | IPC_NOWAIT));
  printf("copied type %ld '%s'\n", r.type, r.text);
  show("msgrcv copy 5", msgrcv(id, &r, 64, 5, MSG_COPY | IPC_NOWAIT));
  show("msgrcv 2", msgrcv(id, &r, 64, 2, 0));
  show("msgrcv empty nowait", msgrcv(id, &r, 64, 0, IPC_NOWAIT));
  /* a full queue */
  static struct {
    long type;
    char text[8192];
  } big = {1, {0}};
  show("fill 1", msgsnd(id, &big, 8192, IPC_NOWAIT));
  show("fill 2", msgsnd(id, &big, 8192, IPC_NOWAIT));
  show("full", msgsnd(id, &big, 1, IPC_NOWAIT));
  /* a child blocks sending into the full queue; the parent's receive lets it in */
  pid_t pid = fork();
  if (pid == 0) {
    m.type = 7, strcpy(m.text, "seven");
    printf("child msgsnd %d\n", msgsnd(id, &m, 6, 0));
    _exit(0);
  }
  nap();
  long got = msgrcv(id, &big, 8192, 1, 0);
  wait_child(pid);
  show("drain", got);
  show("drain", msgrcv(id, &big, 8192, 1, 0));
  show("msgrcv 7", msgrcv(id, &r, 64, 7, 0));
  printf("got '%s'\n", r.text);
  /* a child blocks receiving; the parent sends */
  pid = fork();
  if (pid == 0) {
    struct msg c;
    long n = msgrcv(id, &c, 64, 9, 0);
    printf("child msgrcv %ld '%s'\n", n, c.text);
    _exit(0);
  }
  nap();
  m.type = 9, strcpy(m.text, "nine");
  msgsnd(id, &m, 5, 0);
  wait_child(pid);
  msgctl(id, IPC_STAT, &ds);
  ds.msg_qbytes = 100;
  show("ipc_set qbytes", msgctl(id, IPC_SET, &ds));
  ds.msg_qbytes = 1000000;
  show("ipc_set qbytes too high", msgctl(id, IPC_SET, &ds) == 0 || geteuid() == 0 ? 0 : -1);
  msgctl(id, IPC_STAT, &ds);
  printf("qbytes %lu\n", (unsigned long)ds.msg_qbytes);
  /* the child says when it is about to block: removing the queue before its msgrcv would give EINVAL */
  int ready[2];
  pipe(ready);
  pid = fork();
  if (pid == 0) {
    struct msg c;
    write(ready[1], "r", 1);
    long n = msgrcv(id, &c, 64, 0, 0);
    printf("child msgrcv on removed queue %ld %s\n", n, n < 0 ? strerrorname_np(errno) : "");
    _exit(0);
  }
  char c;
  read(ready[0], &c, 1);
  close(ready[0]);
  close(ready[1]);
  nap();
  got = msgctl(id, IPC_RMID, 0);
  wait_child(pid);
  show("msgctl rmid", got);
  show("msgsnd removed", msgsnd(id, &m, 4, 0));
  /* the multiplexer: MSGRCV version 0 takes struct ipc_kludge */
  id = syscall(SYS_ipc, 13 /* MSGGET */, IPC_PRIVATE, 0600, 0, 0, 0);
  m.type = 4, strcpy(m.text, "four");
  show("ipc msgsnd", syscall(SYS_ipc, 11 /* MSGSND */, id, 5, 0, &m, 0));
  struct {
    void *msgp;
    long msgtyp;
  } kludge = {&r, 4};
  show("ipc msgrcv kludge", syscall(SYS_ipc, 12 /* MSGRCV */, id, 64, 0, &kludge, 0));
  printf("got '%s'\n", r.text);
  msgsnd(id, &m, 5, 0);
  show("ipc msgrcv v1", syscall(SYS_ipc, 12 | (1 << 16), id, 64, 0, &r, 4));
  unsigned char old[56];
  show("ipc msgctl old stat", syscall(SYS_ipc, 14 /* MSGCTL */, id, IPC_STAT, 0, old, 0));
  printf("old msqid_ds mode=%o qbytes=%d qnum=%d\n", *(uint16_t *)(old + 12), *(uint16_t *)(old + 48), *(uint16_t *)(old + 46));
  msgctl(id, IPC_RMID, 0);
}

/* IPC_INFO / MSG_INFO / SEM_INFO: the limits (Linux's defaults), and usage that counts at
 * least this test's own queue and set (the namespace may hold others'). */
static void info_tests(void) {
  int q = msgget(IPC_PRIVATE, 0600), s = semget(IPC_PRIVATE, 3, 0600);
  struct { long type; char text[8]; } m = {1, "info"};
  msgsnd(q, &m, 5, 0);
  struct msginfo mi;
  memset(&mi, 0x55, sizeof mi);
  long r = msgctl(0, IPC_INFO, (struct msqid_ds *)&mi);
  printf("msgctl IPC_INFO: %s pool %d map %d max %d mnb %d mni %d ssz %d tql %d seg %u\n", r >= 0 ? "ok" : strerrorname_np(errno), mi.msgpool, mi.msgmap, mi.msgmax, mi.msgmnb, mi.msgmni, mi.msgssz, mi.msgtql, mi.msgseg);
  r = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
  printf("msgctl MSG_INFO: %s queues>=1 %d messages>=1 %d bytes>=5 %d max %d, index >= ours %d\n", r >= 0 ? "ok" : strerrorname_np(errno), mi.msgpool >= 1, mi.msgmap >= 1, mi.msgtql >= 5, mi.msgmax, r >= q % 32768);
  show("msgctl MSG_INFO EFAULT", msgctl(0, MSG_INFO, BAD));
  struct seminfo si;
  memset(&si, 0x55, sizeof si);
  r = semctl(0, 0, IPC_INFO, &si);
  printf("semctl IPC_INFO: %s map %d mni %d mns %d mnu %d msl %d opm %d ume %d usz %d vmx %d aem %d\n", r >= 0 ? "ok" : strerrorname_np(errno), si.semmap, si.semmni, si.semmns, si.semmnu, si.semmsl, si.semopm, si.semume, si.semusz, si.semvmx, si.semaem);
  r = semctl(0, 0, SEM_INFO, &si);
  printf("semctl SEM_INFO: %s sets>=1 %d sems>=3 %d msl %d\n", r >= 0 ? "ok" : strerrorname_np(errno), si.semusz >= 1, si.semaem >= 3, si.semmsl);
  int seg = shmget(IPC_PRIVATE, 3 * 4096 + 1, 0600);
  struct shminfo hi;
  memset(&hi, 0x55, sizeof hi);
  r = shmctl(0, IPC_INFO, (struct shmid_ds *)&hi);
  printf("shmctl IPC_INFO: %s max %lu min %lu mni %lu seg %lu all %lu\n", r >= 0 ? "ok" : strerrorname_np(errno), (unsigned long)hi.shmmax, (unsigned long)hi.shmmin, (unsigned long)hi.shmmni, (unsigned long)hi.shmseg, (unsigned long)hi.shmall);
#ifdef SYS_ipc
  /* the old struct shminfo, through ipc(SHMCTL) without IPC_64 */
  int old[5];
  memset(old, 0x55, sizeof old);
  r = syscall(SYS_ipc, 24, 0, IPC_INFO, 0, old);
  printf("ipc SHMCTL IPC_INFO (old): %s %d %d %d %d %d\n", r >= 0 ? "ok" : strerrorname_np(errno), old[0], old[1], old[2], old[3], old[4]);
#endif
  struct shm_info su;
  memset(&su, 0x55, sizeof su);
  r = shmctl(0, SHM_INFO, (struct shmid_ds *)&su);
  printf("shmctl SHM_INFO: %s ids>=1 %d tot>=4 %d swp %lu\n", r >= 0 ? "ok" : strerrorname_np(errno), su.used_ids >= 1, su.shm_tot >= 4, (unsigned long)su.shm_swp);
  show("shmctl IPC_INFO negative id", shmctl(-1, IPC_INFO, (struct shmid_ds *)&hi));
  shmctl(seg, IPC_RMID, 0);
  msgctl(q, IPC_RMID, 0);
  semctl(s, 0, IPC_RMID);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  cleanup();
  shm_tests();
  sem_tests();
  msg_tests();
  info_tests();
  return 0;
}
