/* build/cloop.so: the minimal C loops the harness's floor is checked against, loaded into the
 * same process as the harness (benches/compare-anchors.ts), so the comparison isolates what
 * the harness adds (koffi call, probe dispatch, first-call check) from what differs between
 * processes (page placement, and on CPUs with PTI but no PCID the TLB refills after every
 * syscall, at a cost that depends on the process's page tables). Nothing but a clock read, the loop, a clock read. */
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* glibc getppid(), as perf bench syscall basic and lmbench lat_syscall null call it. */
int64_t cloop_getppid_libc(int64_t iters) {
  int64_t t0 = now_ns();
  for (int64_t i = 0; i < iters; i++) (void)getppid();
  return now_ns() - t0;
}

/* The syscall instruction inline (x86_64), as the harness's clone3 probes call the kernel. */
int64_t cloop_getppid_raw(int64_t iters) {
#if defined(__x86_64__)
  int64_t t0 = now_ns();
  for (int64_t i = 0; i < iters; i++) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_getppid) : "rcx", "r11", "memory");
  }
  return now_ns() - t0;
#else
  (void)iters;
  return -1;
#endif
}
