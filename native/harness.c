/* build/harness.so: the timing loops clonebench calls from Node through koffi. JavaScript
 * only orchestrates (one koffi call per batch of 1-10 ms); clocks are read here, around a
 * batch, never per iteration. See cb_core.h for the loops themselves. */
#include "cb_core.h"

#include <stdio.h>

/* Bumped when an exported signature changes; src/native/harness.ts checks it on load. */
int cb_abi_version(void) { return 3; }

/* 1 when the raw clone paths exist for this architecture (x86_64 only). */
int cb_supported(void) { return CB_SUPPORTED; }

/* One probe batch. out[0] = elapsed ns for the whole batch. Returns the first call's result:
 * 0 for the empty loop and getppid, -EINVAL for a working clone3 probe, another -errno when
 * the kernel refuses, -10001 (unsupported architecture) or -10002 (bad arguments). */
int64_t cb_batch_probe(int kind, const void *args, uint64_t size, int64_t iters, double *out) {
  int64_t ns = 0;
  long r = cb_run_probe(kind, args, size, iters, &ns);
  out[0] = (double)ns;
  return r;
}

/* One clone batch of create + reap cycles. out[0] = elapsed ns, out[1] = cycles completed.
 * Returns 0, or -errno of the first failing clone (every created child has been reaped). */
int64_t cb_batch_clone(int shape, int via, int64_t iters, double *out) {
  int64_t ns = 0, done = 0;
  long r = cb_run_clone(shape, via, iters, &ns, &done);
  out[0] = (double)ns;
  out[1] = (double)done;
  return r;
}

/* One interleaved A/B batch of clone3 probes through cb_abba (two sequences of one). out[0] =
 * total ns of A, out[1] = total ns of B; pair_delta (`pairs` doubles, or NULL) gets each block
 * pair's (A - B) ns per call. Returns -EINVAL when both probes worked, else the refusing
 * -errno. */
int64_t cb_batch_probe_pair(const void *a, uint64_t size_a, const void *b, uint64_t size_b,
                            int64_t block, int64_t pairs, double *out, double *pair_delta) {
  int64_t ns[2] = {0, 0}, bad = -1;
  const void *sa[1] = {a}, *sb[1] = {b};
  long r = cb_run_probe_seq_pair(sa, 1, size_a, sb, 1, size_b, block, pairs, ns, pair_delta, &bad);
  out[0] = (double)ns[0];
  out[1] = (double)ns[1];
  return r;
}

/* One interleaved batch of two probe sequences (see cb_run_probe_seq_pair): a and b are arrays
 * of probe struct addresses, every probe passed `size`. out[0] = total ns of A, out[1] = of B,
 * out[2] = index of the probe that did not fail with EINVAL (-1 when all did). pair_delta
 * (`pairs` doubles, or NULL) gets each block pair's (A - B) ns per sequence iteration. Returns
 * -EINVAL when every probe worked, else the refusing -errno. Addresses travel as uint64_t so
 * JavaScript can pass a BigUint64Array; the loops only run on x86_64 (64-bit pointers). */
int64_t cb_batch_probe_seq_pair(const uint64_t *a, int64_t n_a, const uint64_t *b, int64_t n_b,
                                uint64_t size, int64_t block, int64_t pairs, double *out,
                                double *pair_delta) {
  int64_t ns[2] = {0, 0}, bad = -1;
  long r = cb_run_probe_seq_pair((const void *const *)(const void *)a, n_a, size,
                                 (const void *const *)(const void *)b, n_b, size, block, pairs, ns,
                                 pair_delta, &bad);
  out[0] = (double)ns[0];
  out[1] = (double)ns[1];
  out[2] = (double)bad;
  return r;
}

/* cb_abba driven by a fake clock, for the tests that pin its attribution: the k-th block run
 * (whichever side) advances the clock by block * (cost + drift * k) ns, cost = cost_a for side A
 * and cost_b for side B: a linear slowdown inside the batch, which the ABBA order cancels.
 * order_log (2 * pairs ints, or NULL) records the side of each block in the order they ran.
 * Returns 0 or -10002; out[0], out[1] as cb_batch_probe_pair. */
struct cb_fake_clock {
  int64_t t, blocks, drift, cost[2];
  int *log;
};
static int64_t cb_fake_now(void *ctx) { return ((struct cb_fake_clock *)ctx)->t; }
static long cb_fake_side(void *ctx, int side, int64_t block) {
  struct cb_fake_clock *c = (struct cb_fake_clock *)ctx;
  c->t += block * (c->cost[side] + c->drift * c->blocks);
  if (c->log) c->log[c->blocks] = side;
  c->blocks++;
  return 0;
}
int64_t cb_test_abba(int64_t cost_a, int64_t cost_b, int64_t drift, int64_t block, int64_t pairs,
                     double *out, double *pair_delta, int *order_log) {
  struct cb_fake_clock c = {0, 0, drift, {cost_a, cost_b}, order_log};
  int64_t ns[2], done;
  long r = cb_abba(cb_fake_side, cb_fake_now, &c, block, pairs, ns, pair_delta, &done);
  out[0] = (double)ns[0];
  out[1] = (double)ns[1];
  return r;
}

/* Constants the TypeScript side relies on, checked when the library loads (src/native/
 * harness.ts): a mismatch is a stale or foreign build, refused with a rebuild hint. */
int64_t cb_constant(int which) {
  switch (which) {
    case 0: return EINVAL;
    case 1: return CB_MAX_PAIRS;
    case 2: return CB_ERR_UNSUPPORTED;
    case 3: return CB_ERR_BADARGS;
    case 4: return (int64_t)sizeof(struct cb_clone_args);
    case 5: return ENOSYS;
    case 6: return EFAULT;
    default: return -1;
  }
}

/* Writes a clone3 probe struct into buf (buf_size >= 64 bytes; the whole buffer is zeroed, so
 * a size above 88 has the zero tail the kernel requires): flag bit 63 (unknown, so clone3
 * fails with EINVAL after its copies and before any fork), set_tid = the given user address,
 * set_tid_size = count. Returns 0, or -10002 when buf_size < 64 or a field would not fit. */
int cb_clone3_probe_args(void *buf, uint64_t buf_size, const void *set_tid, uint64_t set_tid_size) {
  if (buf == NULL || buf_size < 64) return -CB_ERR_BADARGS;
  if ((set_tid != NULL || set_tid_size != 0) && buf_size < 80) return -CB_ERR_BADARGS;
  memset(buf, 0, buf_size);
  struct cb_clone_args a;
  memset(&a, 0, sizeof a);
  a.flags = CB_CLONE3_BAD_FLAG;
  a.set_tid = (uint64_t)(uintptr_t)set_tid;
  a.set_tid_size = set_tid_size;
  memcpy(buf, &a, buf_size < sizeof a ? buf_size : sizeof a);
  return 0;
}

/* Page-aligned, zeroed memory for probe structs and set_tid arrays: where a buffer sits
 * (cache-line or page straddles) changes what the kernel's copy costs, so the runner puts
 * every probe's memory at the start of its own pages, the same in every run. Freed with
 * cb_free_pages where a suite is done with it. NULL on failure. */
void *cb_alloc_pages(uint64_t size) {
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  /* Write every page: an untouched anonymous page is the kernel's shared zero page, which a
   * copy_from_user reads at a different cost (a few ns, seen on an AMD EPYC VM) than the
   * private pages a real caller's arguments live in. */
  memset(p, 0, size);
  return p;
}

/* Unmaps memory from cb_alloc_pages (same size). The copy-plan probes free theirs once their
 * suite is done, so later suites (fork from Node) see the process as it was. 0 or -errno. */
int cb_free_pages(void *p, uint64_t size) { return munmap(p, size) ? -errno : 0; }

/* p + off: koffi has no pointer arithmetic, and probes share pages at fixed offsets. */
void *cb_ptr_add(void *p, uint64_t off) { return p == NULL ? NULL : (char *)p + off; }

/* Pins the calling thread (Node's main thread) to one CPU / restores the original mask. */
int cb_pin_cpu(int cpu) { return cb_pin(cpu); }
int cb_unpin_cpu(void) { return cb_unpin(); }

/* The CPU the calling thread runs on now (to check pinning). */
int cb_current_cpu(void) { return sched_getcpu(); }
