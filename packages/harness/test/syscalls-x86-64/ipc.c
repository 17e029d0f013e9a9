/* SysV IPC through x86-64's direct calls: shmid_ds, semid_ds and msqid_ds with their long
 * fields, msgbuf's long mtype, semtimedop's timespec. Prints no ids, keys or times (only
 * whether the times are now); pids as "self". */
#include "common.h"
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>

static const char *when(time_t t) { return t == 0 ? "0" : labs(time(0) - t) < 100 ? "now" : "other"; }
static const char *who(pid_t p) { return p == 0 ? "0" : p == getpid() ? "self" : "other"; }

static void perm(struct ipc_perm *p) { printf("  uid %s mode %o\n", p->uid == getuid() && p->cuid == geteuid() ? "self" : "other", p->mode); }

static void shm(void) {
  int id = shmget(IPC_PRIVATE, 10000, 0640);
  printf("shmget %s\n", id >= 0 ? "ok" : strerrorname_np(errno));
  char *a = shmat(id, 0, 0);
  printf("shmat %s\n", a == (void *)-1 ? strerrorname_np(errno) : "ok");
  strcpy(a, "shared");
  struct shmid_ds ds;
  memset(&ds, 0xa5, sizeof ds);
  if (SYS(shmctl, id, IPC_STAT, &ds) == 0) {
    perm(&ds.shm_perm);
    printf("  segsz %zu nattch %lu cpid %s lpid %s atime %s dtime %s ctime %s\n", ds.shm_segsz, (unsigned long)ds.shm_nattch, who(ds.shm_cpid), who(ds.shm_lpid), when(ds.shm_atime), when(ds.shm_dtime), when(ds.shm_ctime));
  }
  ds.shm_perm.mode = 0600;
  SYS(shmctl, id, IPC_SET, &ds);
  SYS(shmctl, id, IPC_STAT, &ds);
  perm(&ds.shm_perm);
  SYS(shmdt, a);
  SYS(shmdt, a);
  SYS(shmctl, id, IPC_RMID, 0);
  SYS(shmctl, id, IPC_STAT, &ds);
  SYS(shmctl, 0x7fffffff, IPC_STAT, &ds);
  SYS(shmat, id + 1, 0, 0);
}

static void sem(void) {
  int id = semget(IPC_PRIVATE, 3, 0600);
  printf("semget %s\n", id >= 0 ? "ok" : strerrorname_np(errno));
  SYS(semctl, id, 1, SETVAL, 5);
  SYS(semctl, id, 1, GETVAL, 0);
  struct sembuf ops[2] = {{1, -2, 0}, {2, 3, SEM_UNDO}};
  SYS(semop, id, ops, 2);
  unsigned short vals[3];
  SYS(semctl, id, 0, GETALL, vals);
  printf("  vals %u %u %u\n", vals[0], vals[1], vals[2]);
  struct timespec ts = {0, 1000000};
  struct sembuf take = {0, -1, 0};
  SYS(semtimedop, id, &take, 1, &ts);
  struct timespec bad = {0, 1000000000};
  SYS(semtimedop, id, &take, 1, &bad);
  struct semid_ds ds;
  memset(&ds, 0xa5, sizeof ds);
  if (SYS(semctl, id, 0, IPC_STAT, &ds) == 0) {
    perm(&ds.sem_perm);
    printf("  nsems %lu otime %s ctime %s\n", (unsigned long)ds.sem_nsems, when(ds.sem_otime), when(ds.sem_ctime));
  }
  printf("semctl GETPID %s\n", who(syscall(SYS_semctl, id, 1, GETPID, 0)));
  SYS(semctl, id, 0, IPC_RMID, 0);
  SYS(semop, id, ops, 1);
}

struct msg { long mtype; char text[16]; };

static void msg(void) {
  int id = msgget(IPC_PRIVATE, 0600);
  printf("msgget %s\n", id >= 0 ? "ok" : strerrorname_np(errno));
  struct msg m = {0x100000002L, "first"};
  SYS(msgsnd, id, &m, 6, 0);
  m.mtype = 3;
  strcpy(m.text, "second");
  SYS(msgsnd, id, &m, 7, 0);
  m.mtype = 0;
  SYS(msgsnd, id, &m, 1, 0);
  struct msqid_ds ds;
  memset(&ds, 0xa5, sizeof ds);
  if (SYS(msgctl, id, IPC_STAT, &ds) == 0) {
    perm(&ds.msg_perm);
    printf("  cbytes %lu qnum %lu qbytes %lu lspid %s lrpid %s stime %s rtime %s ctime %s\n", (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qnum, (unsigned long)ds.msg_qbytes,
           who(ds.msg_lspid), who(ds.msg_lrpid), when(ds.msg_stime), when(ds.msg_rtime), when(ds.msg_ctime));
  }
  ds.msg_qbytes = 1000;
  SYS(msgctl, id, IPC_SET, &ds);
  memset(&m, 0, sizeof m);
  SYS(msgrcv, id, &m, sizeof m.text, 3, 0);
  printf("  mtype %ld text %s\n", m.mtype, m.text);
  SYS(msgrcv, id, &m, sizeof m.text, 0, 0);
  printf("  mtype %#lx text %s\n", m.mtype, m.text);
  SYS(msgrcv, id, &m, sizeof m.text, 0, IPC_NOWAIT);
  if (SYS(msgctl, id, IPC_STAT, &ds) == 0) printf("  qbytes %lu qnum %lu lrpid %s\n", (unsigned long)ds.msg_qbytes, (unsigned long)ds.msg_qnum, who(ds.msg_lrpid));
  SYS(msgctl, id, IPC_RMID, 0);
  SYS(msgsnd, id, &m, 1, 0);
}

int main(void) {
  shm();
  sem();
  msg();
  return 0;
}
