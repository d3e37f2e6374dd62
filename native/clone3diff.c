/* build/clone3diff.so: the real clone3 on a given image, for test/clone3-differential.test.ts,
 * which compares the kernel's answer with native/decoder.c's on the same bytes.
 *
 * A call that the kernel accepts creates a child. The child runs no C and no JavaScript: it is
 * cb_raw_clone3's child path (cb_core.h), which goes straight to the exit syscall without
 * touching the stack, so it is safe on the parent's stack with CLONE_VM (the test always sets
 * CLONE_VM, so a child costs no copy of Node's address space). The parent reaps it here
 * (waitpid __WALL: the exit signal may be anything) before returning, and closes the pidfd
 * the kernel stored for CLONE_PIDFD. */
#include <stdint.h>

/* cb_core.h also holds the harness's own loops, unused here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-variable"
#include "cb_core.h"
#pragma GCC diagnostic pop

/* Bumped when an exported signature changes; the test checks it on load. */
int c3d_abi_version(void) { return 1; }

/* 1 where the raw clone3 path exists (x86_64). */
int c3d_supported(void) { return CB_SUPPORTED; }

/* Memory the images point their tid and pidfd members at: slot C3D_PIDFD receives the pidfd,
 * the others the tids (CLONE_PARENT_SETTID, CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID). */
#define C3D_SLOTS 8
#define C3D_PIDFD 0
static volatile int32_t c3d_slots[C3D_SLOTS];

uint64_t c3d_scratch(void) { return (uint64_t)(uintptr_t)c3d_slots; }
int c3d_scratch_slots(void) { return C3D_SLOTS; }

/* clone3(uargs, size) on exactly the caller's bytes. While the call and the reaping run,
 * `ignore_signal` (an exit signal other than SIGCHLD that the child sends this process when it
 * exits) is set to SIG_IGN, then restored; 0 for none. out[0] = the child's pid or 0,
 * out[1] = its wait status or -errno of waitpid, out[2] = 1 if a pidfd was closed.
 * Returns 0 when a child was created (and reaped), the kernel's -errno otherwise, or
 * -CB_ERR_UNSUPPORTED / -CB_ERR_BADARGS (a signal that cannot be ignored). */
int64_t c3d_call(uint64_t uargs, uint64_t size, int ignore_signal, int64_t *out) {
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
#if CB_SUPPORTED
  struct sigaction ignore, saved;
  memset(&ignore, 0, sizeof ignore);
  ignore.sa_handler = SIG_IGN;
  if (ignore_signal != 0) {
    if (ignore_signal == SIGKILL || ignore_signal == SIGSTOP || ignore_signal == SIGCHLD) return -CB_ERR_BADARGS;
    if (sigaction(ignore_signal, &ignore, &saved) != 0) return -CB_ERR_BADARGS;
  }
  c3d_slots[C3D_PIDFD] = -1;
  long r = cb_raw_clone3((struct cb_clone_args *)(uintptr_t)uargs, (size_t)size);
  if (r > 0) {
    int status = 0;
    pid_t w;
    do w = waitpid((pid_t)r, &status, __WALL);
    while (w < 0 && errno == EINTR);
    out[0] = r;
    out[1] = w == (pid_t)r ? status : -errno;
    if (c3d_slots[C3D_PIDFD] >= 0) {
      close(c3d_slots[C3D_PIDFD]);
      out[2] = 1;
    }
  }
  if (ignore_signal != 0) sigaction(ignore_signal, &saved, NULL);
  return r > 0 ? 0 : r;
#else
  (void)uargs;
  (void)size;
  (void)ignore_signal;
  return -CB_ERR_UNSUPPORTED;
#endif
}
