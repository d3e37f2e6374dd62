/* build/noclone3: runs a command under a seccomp filter that makes clone3 fail with ENOSYS,
 * as the container runtimes of 2020-2021 did (before they learnt clone3). Tests use it to
 * check that a run without clone3 completes with skips; users can check their own fallbacks.
 *
 *   build/noclone3 COMMAND [ARGS...]
 *
 * glibc's pthread_create and posix_spawn fall back to clone on ENOSYS, so Node runs normally. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
    return 2;
  }
#if defined(__x86_64__)
  struct sock_filter filter[] = {
      /* Other ABIs (i386 through int 0x80, x32) are left alone: this is a test tool. */
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {.len = sizeof filter / sizeof filter[0], .filter = filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
    fprintf(stderr, "noclone3: cannot install the seccomp filter: %s\n", strerror(errno));
    return 125;
  }
#else
  fprintf(stderr, "noclone3: only x86_64 is supported\n");
  return 125;
#endif
  execvp(argv[1], argv + 1);
  fprintf(stderr, "noclone3: cannot run %s: %s\n", argv[1], strerror(errno));
  return 127;
}
