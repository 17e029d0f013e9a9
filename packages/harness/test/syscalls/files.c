/* Files and metadata: chmod/chown/truncate/utimes families, links, old stat, statfs, fsync,
 * fallocate, sendfile, copy_file_range, splice/tee, fadvise. Run in an empty directory. */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <sys/uio.h>

struct old_stat { unsigned long dev, ino; unsigned short mode, nlink, uid, gid; unsigned long rdev, size, blksize, blocks, at, atn, mt, mtn, ct, ctn, u4, u5; };

static void show_mode(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("  %s mode %o size %lld uid %u\n", path, st.st_mode, (long long)st.st_size, st.st_uid);
}
static void show_times(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("  %s atime %lld.%09ld mtime %lld.%09ld\n", path, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
  write(fd, "hello, world\n", 13);
  /* preadv/pwritev at an offset (the file position stays), a negative offset */
  char pv[2][4] = {{0}};
  struct iovec piov[2] = {{pv[0], 3}, {pv[1], 3}};
  SYS(preadv, fd, piov, 2, 2, 0);
  printf("  '%.3s' '%.3s' position %ld\n", pv[0], pv[1], (long)lseek(fd, 0, SEEK_CUR));
  SYS(pwritev, fd, piov, 1, 20, 0);
  SYS(preadv, fd, piov, 1, -1, -1);
  SYS(preadv, 99, piov, 1, 0, 0);
  SYS(chmod, "f", 0640); show_mode("f");
  SYS(chmod, "nope", 0640);
  SYS(chmod, BAD, 0640);
  SYS(fchmod, fd, 0604); show_mode("f");
  SYS(fchmod, 99, 0604);
  SYS(fchmodat, AT_FDCWD, "f", 0644); show_mode("f");
  SYS(fchmodat, 99, "f", 0644);
  SYS(chown32, "f", getuid(), getgid());
  SYS(chown32, "f", -1, -1);
  SYS(lchown32, "f", -1, -1);
  SYS(fchown32, fd, -1, -1);
  SYS(fchown32, 99, -1, -1);
  SYS(fchownat, AT_FDCWD, "f", -1, -1, 0);
  SYS(fchownat, AT_FDCWD, "f", -1, -1, 0x4000);
  SYS(chown, "f", -1, -1);
  SYS(lchown, "nope", -1, -1);
  SYS(fchown, fd, -1, -1);
  SYS(truncate, "f", 5); show_mode("f");
  SYS(truncate, "f", -1);
  SYS(truncate64, "f", 7, 0); show_mode("f");
  SYS(ftruncate, fd, 3); show_mode("f");
  SYS(ftruncate, fd, -1);
  SYS(ftruncate, 0, 3);
  struct timespec ts[2] = {{1000000000, 123456789}, {1100000000, 987654321}};
  SYS(utimensat, AT_FDCWD, "f", ts, 0); show_times("f");
  struct timespec omit[2] = {{5, UTIME_OMIT}, {1200000000, 5}};
  SYS(utimensat, AT_FDCWD, "f", omit, 0); show_times("f");
  struct timespec badts[2] = {{1, 1000000000}, {1, 0}};
  SYS(utimensat, AT_FDCWD, "f", badts, 0);
  SYS(utimensat, AT_FDCWD, "f", BAD, 0);
  SYS(utimensat, AT_FDCWD, "f", ts, 0x8000);
  long long ts64[4] = {1300000000, 1, 1300000001, 2};
  SYS(utimensat_time64, AT_FDCWD, "f", ts64, 0); show_times("f");
  struct timeval tv[2] = {{1400000000, 10}, {1400000001, 20}};
  SYS(utimes, "f", tv); show_times("f");
  SYS(futimesat, AT_FDCWD, "f", tv); show_times("f");
  long ut[2] = {1500000000, 1500000001};
  SYS(utime, "f", ut); show_times("f");
  SYS(link, "f", "g"); show_mode("g");
  SYS(link, "f", "g");
  SYS(linkat, AT_FDCWD, "g", AT_FDCWD, "h", 0); show_mode("h");
  SYS(symlink, "f", "s");
  char buf[64] = {0};
  readlink("s", buf, sizeof buf); printf("  s -> %s\n", buf);
  SYS(symlinkat, "g", AT_FDCWD, "s2");
  SYS(symlink, "", "s3");
  SYS(lchown32, "s", -1, -1);
  struct old_stat os;
  memset(&os, 0, sizeof os);
  if (SYS(stat, "f", &os) == 0) printf("  mode %o nlink %u size %lu blksize %lu mt %lu.%lu\n", os.mode, os.nlink, os.size, os.blksize, os.mt, os.mtn);
  if (SYS(lstat, "s", &os) == 0) printf("  mode %o size %lu\n", os.mode, os.size);
  if (SYS(fstat, fd, &os) == 0) printf("  mode %o size %lu\n", os.mode, os.size);
  SYS(stat, "nope", &os);
  SYS(stat, "f", BAD);
  struct statfs sf; struct statfs64 sf64;
  if (SYS(statfs, ".", &sf) == 0) printf("  type %lx bsize %ld namelen %ld\n", (long)sf.f_type, (long)sf.f_bsize, (long)sf.f_namelen);
  if (SYS(fstatfs, fd, &sf) == 0) printf("  type %lx\n", (long)sf.f_type);
  if (SYS(statfs64, ".", sizeof sf64, &sf64) == 0) printf("  type %lx frsize %ld\n", (long)sf64.f_type, (long)sf64.f_frsize);
  SYS(fstatfs64, fd, sizeof sf64, &sf64);
  SYS(statfs, "nope", &sf);
  SYS(fsync, fd);
  SYS(fdatasync, fd);
  SYS(fsync, 99);
  SYS(sync);
  SYS(syncfs, fd);
  SYS(flock, fd, 2);
  SYS(flock, fd, 9);
  SYS(fadvise64_64, fd, 0, 0, 0, 0, 2);
  SYS(fadvise64_64, fd, 0, 0, 0, 0, 9);
  SYS(fallocate, fd, 0, 0, 0, 4096, 0); show_mode("f");
  SYS(fallocate, fd, 1, 0, 0, 9000, 0); show_mode("f");
  SYS(fallocate, fd, 0, 0, 0, 0, 0);
  SYS(fallocate, 99, 0, 0, 0, 10, 0);
  /* sendfile: from a file to another, with and without an offset */
  int src = open("src", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(src, "0123456789abcdefghij", 20);
  int dst = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
  off_t off = 5;
  SYS(sendfile, dst, src, &off, 6); printf("  off %ld\n", (long)off);
  lseek(src, 2, SEEK_SET);
  SYS(sendfile64, dst, src, 0, 3); printf("  pos %ld\n", (long)lseek(src, 0, SEEK_CUR));
  SYS(sendfile, dst, 99, 0, 3);
  SYS(sendfile, dst, src, BAD, 3);
  long long in = 10, out = 0;
  SYS(copy_file_range, src, &in, dst, &out, 4, 0); printf("  in %lld out %lld\n", in, out);
  SYS(copy_file_range, src, 0, dst, 0, 4, 1);
  lseek(dst, 0, SEEK_SET);
  memset(buf, 0, sizeof buf);
  read(dst, buf, sizeof buf - 1); printf("  dst '%s'\n", buf);
  int p[2], q[2];
  pipe(p); pipe(q);
  in = 0;
  SYS(splice, src, &in, p[1], 0, 8, 0);
  SYS(tee, p[0], q[1], 100, 0);
  SYS(splice, p[0], 0, dst, 0, 100, 0);
  memset(buf, 0, sizeof buf);
  read(q[0], buf, sizeof buf - 1); printf("  tee'd '%s'\n", buf);
  SYS(splice, src, 0, dst, 0, 4, 0);
  SYS(tee, src, q[1], 4, 0);
  return 0;
}
