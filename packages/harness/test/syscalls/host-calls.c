/* The calls dbtlab, as QEMU, hands to the host kernel (chroot, acct, umount2, swapon, swapoff,
 * name_to_handle_at, open_by_handle_at): their errors and results as native, without changing the
 * host (no real mount point, swap area or accounting file is named; chroot only to "/"). */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#define T(what, r) report(what, r)

struct handle {
  unsigned int bytes;
  int type;
  unsigned char f[128];
};

int main(void) {
  struct handle h;
  int mnt = -1;
  char buf[16] = {0};
  int fd = open("file", O_CREAT | O_RDWR, 0644);
  write(fd, "handle-data\n", 12);
  mkdir("dir", 0755);
  T("chroot BAD", syscall(SYS_chroot, BAD));
  T("chroot missing", syscall(SYS_chroot, "missing"));
  T("chroot file", syscall(SYS_chroot, "file"));
  T("chroot file/x", syscall(SYS_chroot, "file/x"));
  T("chroot /", syscall(SYS_chroot, "/"));
  T("acct BAD", syscall(SYS_acct, BAD));
  T("acct missing", syscall(SYS_acct, "missing"));
  T("acct dir", syscall(SYS_acct, "dir"));
  T("acct NULL", syscall(SYS_acct, 0));
  T("umount2 BAD", syscall(SYS_umount2, BAD, 0));
  T("umount2 dir bad flags", syscall(SYS_umount2, "dir", 0x100));
  T("umount2 BAD bad flags", syscall(SYS_umount2, BAD, 0x100));
  T("umount2 missing", syscall(SYS_umount2, "missing", 0));
  T("umount2 dir", syscall(SYS_umount2, "dir", 0));
  T("umount2 dir MNT_EXPIRE|MNT_FORCE", syscall(SYS_umount2, "dir", 5));
  T("swapon BAD", syscall(SYS_swapon, BAD, 0));
  T("swapon file bad flags", syscall(SYS_swapon, "file", 0x100000));
  T("swapon missing", syscall(SYS_swapon, "missing", 0));
  T("swapon dir", syscall(SYS_swapon, "dir", 0));
  T("swapoff BAD", syscall(SYS_swapoff, BAD));
  T("swapoff missing", syscall(SYS_swapoff, "missing"));
  T("swapoff file", syscall(SYS_swapoff, "file"));
  h.bytes = 0;
  T("name_to_handle_at file 0 bytes", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &h, &mnt, 0));
  printf("needed %u\n", h.bytes);
  T("name_to_handle_at bad flags", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &h, &mnt, 0x10));
  T("name_to_handle_at BAD path", syscall(SYS_name_to_handle_at, AT_FDCWD, BAD, &h, &mnt, 0));
  T("name_to_handle_at missing", syscall(SYS_name_to_handle_at, AT_FDCWD, "missing", &h, &mnt, 0));
  T("name_to_handle_at BAD handle", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", BAD, &mnt, 0));
  h.bytes = 129;
  T("name_to_handle_at 129 bytes", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &h, &mnt, 0));
  h.bytes = 128;
  T("name_to_handle_at BAD mount id", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &h, BAD, 0));
  h.bytes = 128;
  T("name_to_handle_at file", syscall(SYS_name_to_handle_at, AT_FDCWD, "file", &h, &mnt, 0));
  struct handle by_fd = {128};
  int mnt2 = -1;
  T("name_to_handle_at fd AT_EMPTY_PATH", syscall(SYS_name_to_handle_at, fd, "", &by_fd, &mnt2, AT_EMPTY_PATH));
  printf("same handle %d, same mount %d\n", by_fd.bytes == h.bytes && memcmp(by_fd.f, h.f, h.bytes) == 0, mnt == mnt2);
  struct handle dh = {128};
  T("name_to_handle_at dir", syscall(SYS_name_to_handle_at, AT_FDCWD, "dir", &dh, &mnt2, 0));
  T("name_to_handle_at fd 99", syscall(SYS_name_to_handle_at, 99, "", &dh, &mnt2, AT_EMPTY_PATH));
  int dirfd = open(".", O_RDONLY | O_DIRECTORY);
  long by = T("open_by_handle_at file", syscall(SYS_open_by_handle_at, dirfd, &h, O_RDONLY));
  if (by >= 0) {
    T("read it", read(by, buf, 11));
    printf("%s\n", buf);
    T("write read-only", write(by, "x", 1));
  }
  T("open_by_handle_at fd 99", syscall(SYS_open_by_handle_at, 99, &h, O_RDONLY));
  T("open_by_handle_at BAD", syscall(SYS_open_by_handle_at, dirfd, BAD, O_RDONLY));
  T("open_by_handle_at dir O_RDONLY", syscall(SYS_open_by_handle_at, dirfd, &dh, O_RDONLY | O_DIRECTORY));
  T("open_by_handle_at file O_DIRECTORY", syscall(SYS_open_by_handle_at, dirfd, &h, O_RDONLY | O_DIRECTORY));
  unlink("file");
  T("open_by_handle_at unlinked (fd open)", syscall(SYS_open_by_handle_at, dirfd, &h, O_RDWR));
  close(fd);
  if (by >= 0) close(by);
  T("open_by_handle_at unlinked", syscall(SYS_open_by_handle_at, dirfd, &h, O_RDONLY));
  return 0;
}
