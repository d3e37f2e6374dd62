/* Shared timing loops of the clonebench harness (build/harness.so, loaded by Node through koffi)
 * and of its helper executable (build/clonehelper). Everything here is static so each binary
 * gets its own copy; only x86_64 is supported for the raw clone paths.
 *
 * Why raw syscalls in inline asm: the glibc wrappers add errno handling (and for clone, a C
 * function call in the child); the probes measure tens of nanoseconds, and a child created by
 * a raw clone on its own stack must never return into C frames, so the child path is a few
 * instructions that go straight to the exit syscall. */
#ifndef CB_CORE_H
#define CB_CORE_H

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cb_raw.h"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef CLONE_NEWPID
#define CLONE_NEWPID 0x20000000
#endif

/* Probe kinds for cb_batch_probe. */
/* GETPPID is the raw syscall instruction inline; GETPPID_LIBC calls glibc's getppid(), as
 * perf bench syscall basic and lmbench lat_syscall do. The two differ by a user-side cost (the
 * call into libc; on CPUs with PTI but no PCID also page walks for libc's code after every
 * kernel exit), not harness overhead; how much is measured per run, never assumed. */
enum { CB_PROBE_EMPTY = 0, CB_PROBE_GETPPID = 1, CB_PROBE_CLONE3 = 2, CB_PROBE_GETPPID_LIBC = 3 };
/* Clone shapes and entry points for cb_batch_clone. */
enum { CB_SHAPE_FORK = 0, CB_SHAPE_VFORK = 1, CB_SHAPE_THREAD = 2, CB_SHAPE_NEWPID = 3 };
enum { CB_VIA_LEGACY = 0, CB_VIA_CLONE3 = 1 };
/* Harness-level refusals, kept apart from kernel errnos (which are small positive numbers). */
#define CB_ERR_UNSUPPORTED 10001 /* not x86_64 */
#define CB_ERR_BADARGS 10002     /* refused by the harness before any syscall */

/* struct clone_args as of Linux 5.7 (88 bytes, all u64). */
struct cb_clone_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
      set_tid_size, cgroup;
};
#define CB_CLONE3_BAD_FLAG (1ULL << 63)

static inline int64_t cb_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#if defined(__x86_64__)
static inline long cb_sys0(long nr) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "0"(nr) : "rcx", "r11", "memory");
  return ret;
}
static inline long cb_sys2(long nr, long a, long b) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
  return ret;
}
static inline long cb_sys4(long nr, long a, long b, long c, long d) {
  long ret;
  register long r10 __asm__("r10") = d;
  __asm__ volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
                   : "rcx", "r11", "memory");
  return ret;
}

/* Legacy clone, x86_64 order (flags, stack, ptid, ctid, tls). In the child (rax == 0) the code
 * jumps straight to exit(0) (SYS_exit, not exit_group: with CLONE_THREAD exit_group would end
 * the whole process). The child touches no stack, so it is safe on a fresh stack (thread) and
 * on the parent's stack (fork: a copy; vfork: the parent is suspended until the child exits). */
static inline long cb_raw_clone(unsigned long flags, void *stack_top, int *ptid, int *ctid,
                                unsigned long tls) {
  long ret;
  register long r10 __asm__("r10") = (long)ctid;
  register long r8 __asm__("r8") = (long)tls;
  __asm__ volatile(
      CB_SYSCALL_CHILD_EXITS
      : "=a"(ret)
      : "0"((long)SYS_clone), "D"(flags), "S"(stack_top), "d"(ptid), "r"(r10), "r"(r8)
      : "rcx", "r11", "memory");
  return ret;
}

/* clone3 with the same child path as cb_raw_clone. */
static inline long cb_raw_clone3(struct cb_clone_args *args, size_t size) {
  long ret;
  __asm__ volatile(
      CB_SYSCALL_CHILD_EXITS
      : "=a"(ret)
      : "0"((long)SYS_clone3), "D"(args), "S"(size)
      : "rcx", "r11", "memory");
  return ret;
}
#define CB_SUPPORTED 1
#else
#define CB_SUPPORTED 0
#endif

/* Runs `iters` iterations of one probe between two clock reads. *ns gets the elapsed time.
 * Returns the result of the first call (0 or -errno for syscalls), so the caller can tell a
 * working probe (-EINVAL for clone3 with flag bit 63) from a kernel refusal (-ENOSYS, -EPERM).
 * A clone3 probe is refused unless it cannot create a child: size < 64 (fails before any copy)
 * or flag bit 63 set (fails after the copies, before any fork). */
static inline long cb_run_probe(int kind, const void *args, uint64_t size, int64_t iters,
                                int64_t *ns) {
#if CB_SUPPORTED
  long first = 0;
  int64_t t0, t1;
  if (iters < 1) return -CB_ERR_BADARGS;
  switch (kind) {
    case CB_PROBE_EMPTY:
      t0 = cb_now_ns();
      for (int64_t i = 0; i < iters; i++) __asm__ volatile("" ::: "memory");
      t1 = cb_now_ns();
      break;
    case CB_PROBE_GETPPID:
      first = cb_sys0(SYS_getppid);
      t0 = cb_now_ns();
      for (int64_t i = 0; i < iters; i++) cb_sys0(SYS_getppid);
      t1 = cb_now_ns();
      if (first > 0) first = 0;
      break;
    case CB_PROBE_GETPPID_LIBC:
      first = getppid();
      t0 = cb_now_ns();
      for (int64_t i = 0; i < iters; i++) (void)getppid();
      t1 = cb_now_ns();
      if (first > 0) first = 0;
      break;
    case CB_PROBE_CLONE3:
      if (size >= 64) {
        if (args == NULL) return -CB_ERR_BADARGS;
        const struct cb_clone_args *ca = (const struct cb_clone_args *)args;
        if (!(ca->flags & CB_CLONE3_BAD_FLAG)) return -CB_ERR_BADARGS;
      }
      first = cb_sys2(SYS_clone3, (long)args, (long)size);
      if (first >= 0) return -CB_ERR_BADARGS; /* cannot happen with bit 63; never loop on it */
      t0 = cb_now_ns();
      for (int64_t i = 0; i < iters; i++) cb_sys2(SYS_clone3, (long)args, (long)size);
      t1 = cb_now_ns();
      break;
    default:
      return -CB_ERR_BADARGS;
  }
  *ns = t1 - t0;
  return first;
#else
  (void)kind; (void)args; (void)size; (void)iters; (void)ns;
  return -CB_ERR_UNSUPPORTED;
#endif
}

/* ------------------------------------------------------------------ the one ABBA loop
 * Every paired measurement (clone3 probe pairs, copy-plan sequences, chosen-pid creates in
 * build/pidns) runs through cb_abba: `pairs` block pairs of `block` iterations, in ABBA order
 * (even pairs A then B, odd pairs B then A), so a linear drift inside the batch cancels and A
 * and B share each few-microsecond stretch of the VM's fast/slow phases. ns[0] = total ns of A,
 * ns[1] = of B; pair_delta[p] (may be NULL) = pair p's (A - B) ns per iteration. The clock is a
 * parameter so a test can drive the loop with a fake clock and check the attribution
 * (cb_test_abba in harness.c). run(ctx, side, block) does `block` iterations of side 0 (A) or
 * 1 (B) and returns 0, or -errno to stop the batch (pairs completed so far are kept). */
#define CB_MAX_PAIRS 4096 /* pair_delta capacity every caller provides (checked from JS) */
typedef long (*cb_side_fn)(void *ctx, int side, int64_t block);
typedef int64_t (*cb_clock_fn)(void *ctx);

static inline int64_t cb_clock_monotonic(void *ctx) {
  (void)ctx;
  return cb_now_ns();
}

static inline long cb_abba(cb_side_fn run, cb_clock_fn now, void *ctx, int64_t block, int64_t pairs,
                           int64_t ns[2], double *pair_delta, int64_t *pairs_done) {
  ns[0] = ns[1] = 0;
  *pairs_done = 0;
  if (block < 1 || pairs < 1 || pairs > CB_MAX_PAIRS) return -CB_ERR_BADARGS;
  for (int64_t p = 0; p < pairs; p++) {
    int first = (int)(p & 1); /* side run first in this pair: A (0) on even pairs, B (1) on odd */
    int64_t t0 = now(ctx);
    long r = run(ctx, first, block);
    int64_t t1 = now(ctx);
    if (!r) r = run(ctx, 1 - first, block);
    int64_t t2 = now(ctx);
    if (r) return r;
    int64_t ta = first == 0 ? t1 - t0 : t2 - t1, tb = first == 0 ? t2 - t1 : t1 - t0;
    ns[0] += ta;
    ns[1] += tb;
    if (pair_delta) pair_delta[p] = (double)(ta - tb) / (double)block;
    *pairs_done = p + 1;
  }
  return 0;
}

#if CB_SUPPORTED
/* Two sequences of clone3 probe structs (a single probe is a sequence of one), all passed the
 * same size: one iteration of a side calls each of its probes once, in order. */
struct cb_probe_seqs {
  const void *const *seq[2];
  int64_t n[2];
  uint64_t size[2];
};

static long cb_probe_seq_side(void *ctx, int side, int64_t block) {
  const struct cb_probe_seqs *s = (const struct cb_probe_seqs *)ctx;
  const void *const *seq = s->seq[side];
  int64_t n = s->n[side];
  long size = (long)s->size[side];
  for (int64_t i = 0; i < block; i++)
    for (int64_t k = 0; k < n; k++) cb_sys2(SYS_clone3, (long)seq[k], size);
  return 0;
}
#endif

/* Interleaved A/B sequences of clone3 probes through cb_abba: a copy plan of several reads is a
 * sequence; a probe against its baseline is two sequences of one. Every probe is called once
 * first and must fail with EINVAL (flag bit 63, after its copies, before any fork); otherwise
 * nothing is timed, *bad gets its index (a's first, then b's as n_a + j) and its result is
 * returned: -EFAULT there means a set_tid pointer the kernel could not read. Returns -EINVAL
 * when the batch ran (the probes' own result). */
static inline long cb_run_probe_seq_pair(const void *const *a, int64_t n_a, uint64_t size_a,
                                         const void *const *b, int64_t n_b, uint64_t size_b,
                                         int64_t block, int64_t pairs, int64_t ns[2],
                                         double *pair_delta, int64_t *bad) {
#if CB_SUPPORTED
  *bad = -1;
  ns[0] = ns[1] = 0;
  if (block < 1 || pairs < 1 || n_a < 1 || n_b < 1 || a == NULL || b == NULL) return -CB_ERR_BADARGS;
  int64_t dummy;
  for (int64_t i = 0; i < n_a + n_b; i++) {
    const void *p = i < n_a ? a[i] : b[i - n_a];
    long r = cb_run_probe(CB_PROBE_CLONE3, p, i < n_a ? size_a : size_b, 1, &dummy);
    if (r != -EINVAL) {
      *bad = i;
      return r;
    }
  }
  struct cb_probe_seqs s = {{a, b}, {n_a, n_b}, {size_a, size_b}};
  int64_t done;
  long r = cb_abba(cb_probe_seq_side, cb_clock_monotonic, &s, block, pairs, ns, pair_delta, &done);
  return r ? r : -EINVAL;
#else
  (void)a; (void)n_a; (void)size_a; (void)b; (void)n_b; (void)size_b; (void)block; (void)pairs;
  (void)ns; (void)pair_delta;
  *bad = -1;
  return -CB_ERR_UNSUPPORTED;
#endif
}

#if CB_SUPPORTED
#define CB_STACK_SIZE (64 * 1024)
static void *cb_stack; /* one small stack, reused: each child has exited before the next */

static int cb_ensure_stack(void) {
  if (cb_stack) return 0;
  void *p = mmap(NULL, CB_STACK_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (p == MAP_FAILED) return -errno;
  cb_stack = p;
  return 0;
}

static unsigned long cb_shape_flags(int shape) {
  switch (shape) {
    case CB_SHAPE_FORK: return SIGCHLD;
    case CB_SHAPE_VFORK: return CLONE_VM | CLONE_VFORK | SIGCHLD;
    case CB_SHAPE_THREAD:
      return CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
             CLONE_CHILD_CLEARTID;
    case CB_SHAPE_NEWPID: return CLONE_NEWPID | SIGCHLD;
    default: return 0;
  }
}

/* Word the kernel clears (and futex-wakes) when a thread-like child exits. */
static volatile int cb_tid_word;

/* One create + reap. Returns 0 or -errno. */
static long cb_clone_once(int shape, int via) {
  unsigned long flags = cb_shape_flags(shape);
  unsigned long csignal = flags & 0xff;
  int thread = shape == CB_SHAPE_THREAD;
  int own_stack = shape == CB_SHAPE_THREAD || shape == CB_SHAPE_VFORK;
  long pid;
  if (thread) cb_tid_word = -1; /* non-zero before the call: no race with a fast child */
  if (via == CB_VIA_LEGACY) {
    void *top = own_stack ? (char *)cb_stack + CB_STACK_SIZE : NULL;
    pid = cb_raw_clone(flags, top, NULL, thread ? (int *)&cb_tid_word : NULL, 0);
  } else {
    struct cb_clone_args a;
    memset(&a, 0, sizeof a);
    a.flags = flags & ~0xffUL;
    a.exit_signal = csignal;
    if (thread) a.child_tid = (uint64_t)(uintptr_t)&cb_tid_word;
    if (own_stack) {
      a.stack = (uint64_t)(uintptr_t)cb_stack;
      a.stack_size = CB_STACK_SIZE;
    }
    pid = cb_raw_clone3(&a, sizeof a);
  }
  if (pid < 0) return pid;
  if (thread) {
    /* The kernel writes 0 and wakes with a shared futex when the thread is gone; bounded by
     * the child's own exit, which is immediate. */
    int v;
    while ((v = cb_tid_word) != 0)
      cb_sys4(SYS_futex, (long)&cb_tid_word, FUTEX_WAIT, v, 0);
    return 0;
  }
  int status;
  for (;;) {
    long r = cb_sys4(SYS_wait4, pid, (long)&status, __WALL, 0);
    if (r == pid) return 0;
    if (r != -EINTR) return r;
  }
}
#endif

/* Runs `iters` create + reap cycles. Every signal is blocked in the calling thread for the
 * batch: children start with the parent's mask, so no signal handler of the host process
 * (Node's) ever runs on a child's borrowed stack or shared TLS; pending signals (Ctrl-C) are
 * delivered when the mask is restored, after the batch. Stops at the first failure, having
 * reaped every child created so far. Returns 0 or -errno; *done gets the cycles completed. */
static inline long cb_run_clone(int shape, int via, int64_t iters, int64_t *ns, int64_t *done) {
#if CB_SUPPORTED
  *done = 0;
  if (iters < 1 || shape < CB_SHAPE_FORK || shape > CB_SHAPE_NEWPID ||
      (via != CB_VIA_LEGACY && via != CB_VIA_CLONE3))
    return -CB_ERR_BADARGS;
  long r = cb_ensure_stack();
  if (r) return r;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int64_t t0 = cb_now_ns();
  int64_t i = 0;
  for (; i < iters; i++) {
    r = cb_clone_once(shape, via);
    if (r) break;
  }
  int64_t t1 = cb_now_ns();
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  *ns = t1 - t0;
  *done = i;
  return r;
#else
  (void)shape; (void)via; (void)iters; (void)ns; (void)done;
  return -CB_ERR_UNSUPPORTED;
#endif
}

/* Pins the calling thread to one CPU; the first call remembers the original mask. */
static cpu_set_t cb_orig_mask;
static int cb_have_orig;
static inline int cb_pin(int cpu) {
  if (!cb_have_orig) {
    if (sched_getaffinity(0, sizeof cb_orig_mask, &cb_orig_mask)) return -errno;
    cb_have_orig = 1;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) ? -errno : 0;
}
static inline int cb_unpin(void) {
  if (!cb_have_orig) return 0;
  return sched_setaffinity(0, sizeof cb_orig_mask, &cb_orig_mask) ? -errno : 0;
}

#endif
