/* build/clonehelper: a small C process that runs the same clone loops as the harness, so the
 * clone suite can show what clone costs from a parent with a small address space (next to
 * the Node process, ~50 MiB resident). Also runs the minimal libc getppid loop the harness's
 * getppid probe is checked against.
 *
 * Protocol: one command per line on stdin, one answer line on stdout.
 *   clone <shape 0-3> <via 0|1> <iters>  ->  ok <ns> <done> <ret>
 *   getppid <iters>                      ->  ok <ns> <iters> 0   (libc getppid())
 *   rawgetppid <iters>                   ->  ok <ns> <iters> 0   (inline syscall instruction)
 *   pin <cpu>                            ->  ok 0 0 <ret>
 *   status                               ->  status <VmRSS kB> <VMA count> <pid>
 *   quit (or end of input)               ->  exits 0
 * Ctrl-C goes to the whole process group: the helper ignores SIGINT and lets its parent decide
 * when to stop (closing stdin), so a batch is never cut in half. */
#include "cb_core.h"
#include "cb_self.h"

#include <stdio.h>
#include <stdlib.h>

int main(void) {
  signal(SIGINT, SIG_IGN);
  setvbuf(stdout, NULL, _IOLBF, 0);
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    long long a = 0, b = 0, c = 0;
    if (sscanf(line, "clone %lld %lld %lld", &a, &b, &c) == 3) {
      int64_t ns = 0, done = 0;
      long r = cb_run_clone((int)a, (int)b, c, &ns, &done);
      printf("ok %lld %lld %ld\n", (long long)ns, (long long)done, r);
    } else if (sscanf(line, "getppid %lld", &a) == 1 && a > 0) {
      /* The minimal C loop: libc getppid, nothing else. */
      int64_t t0 = cb_now_ns();
      for (long long i = 0; i < a; i++) (void)getppid();
      int64_t t1 = cb_now_ns();
      printf("ok %lld %lld 0\n", (long long)(t1 - t0), a);
    } else if (sscanf(line, "rawgetppid %lld", &a) == 1 && a > 0) {
      /* The minimal C loop with the syscall instruction inline, as the harness's raw probe. */
      int64_t t0 = cb_now_ns();
      for (long long i = 0; i < a; i++) (void)cb_sys0(SYS_getppid);
      int64_t t1 = cb_now_ns();
      printf("ok %lld %lld 0\n", (long long)(t1 - t0), a);
    } else if (sscanf(line, "pin %lld", &a) == 1) {
      printf("ok 0 0 %d\n", cb_pin((int)a));
    } else if (strncmp(line, "status", 6) == 0) {
      printf("status %ld %ld %ld\n", cb_rss_kb(), cb_vma_count(), (long)getpid());
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    } else {
      printf("error unknown command\n");
    }
  }
  return 0;
}
