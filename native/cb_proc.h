/* Small process helpers the two namespace drivers (build/pidns for the chosen-pid benchmark,
 * build/restore for restore and conformance) share: whole writes, /proc reads, the capability
 * check, fd hygiene for chain members, and the fork-like clone that makes a pid namespace. */
#ifndef CB_PROC_H
#define CB_PROC_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLONE_NEWPID
#define CLONE_NEWPID 0x20000000
#endif

/* Writes a whole buffer (a protocol line; the reader is a single process). 0 or -1. */
static int cb_write_all(int fd, const char *buf, size_t len) {
  while (len) {
    ssize_t w = write(fd, buf, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

/* Writes a string to a file (a sysctl, uid_map). 0 or -errno. */
static int cb_write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  int r = cb_write_all(fd, text, strlen(text)) ? -errno : 0;
  close(fd);
  return r;
}

/* Our pid as the /proc mount (the run's pid namespace) sees it: what ps and the tests see. */
static long cb_proc_self_pid(void) {
  char buf[32];
  ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
  if (n <= 0) return -1;
  buf[n] = 0;
  return strtol(buf, NULL, 10);
}

/* CAP_SYS_ADMIN in our effective set (the run's user namespace). */
static int cb_have_cap_sys_admin(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  unsigned long long eff = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "CapEff: %llx", &eff) == 1) break;
  fclose(f);
  return (eff >> 21) & 1; /* CAP_SYS_ADMIN */
}

/* Keeps fds a and b (and stderr), /dev/null on stdin and stdout: a chain member must not hold
 * another member's pipes (its init would never see end of input) nor the driver's pipes to
 * Node. */
static void cb_keep_only(int a, int b) {
  int lo = a < b ? a : b, hi = a < b ? b : a;
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
    if (null > 2 && null != a && null != b) close(null);
  }
  if (syscall(SYS_close_range, 3, lo - 1, 0) || syscall(SYS_close_range, lo + 1, hi - 1, 0) ||
      syscall(SYS_close_range, hi + 1, ~0U, 0))
    for (int fd = 3; fd < 1024; fd++)
      if (fd != a && fd != b) close(fd);
}

/* A fork-like clone3(CLONE_NEWPID) (no stack: the child goes on in C on its copy of our
 * stack): the child is pid 1 of a new pid namespace. The namespaces are scaffolding, not what
 * is measured: where clone3 is refused (ENOSYS) legacy clone makes them as well. Returns the
 * child's pid (0 in the child) or -errno. */
static long cb_clone_newpid(void) {
  uint64_t a[11];
  memset(a, 0, sizeof a);
  a[0] = CLONE_NEWPID; /* flags */
  a[4] = SIGCHLD;      /* exit_signal */
  long r = syscall(SYS_clone3, a, sizeof a);
  if (r < 0 && errno == ENOSYS) r = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, 0);
  return r < 0 ? -errno : r;
}

#endif
