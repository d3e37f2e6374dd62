/* clonebench native decoders (build/decoder.so, loaded by src/decode/native.ts through koffi).
 *
 * One decoder per interface. Each plays the kernel side of its syscall: it takes the register
 * arguments a caller would pass, performs the reads the kernel would make in the same order,
 * applies that interface's validation in its documented check order (interfaces.md) and
 * returns 0 or -errno, writing the decoded request into a struct cbd_request.
 *
 * Written independently of the TypeScript encoders: it uses the host compiler's own struct
 * definitions, so a round trip checks the layout engine and the encoders at once.
 *
 * Every user read goes through cbd_copy(), which turns an unreadable address into -EFAULT
 * instead of a crash: process_vm_readv() on our own pid (a partial read counts as a fault),
 * or, where that syscall is unavailable, a write() of the source into a pipe (the kernel
 * copies it with copy_from_user and says EFAULT). Nothing here dereferences a user pointer. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cbd_common.h"

#define CBD_ABI_VERSION 1
#define CBD_MAX_HIGH_WORDS 127 /* clone_extended_info: the bound the RFC leaves open (see the encoder) */

#define CSIGNAL 0xffULL
#define CLONE_NEWTIME 0x80ULL
#define CLONE_SIGHAND 0x800ULL
#define CLONE_PARENT 0x8000ULL
#define CLONE_THREAD 0x10000ULL
#define CLONE_DETACHED 0x400000ULL
#define CLONE_NEWPID 0x20000000ULL
#define CLONE_CLEAR_SIGHAND (1ULL << 32)
#define CLONE_INTO_CGROUP (1ULL << 33)
#define CLONE_LEGACY_FLAGS 0xffffffffULL
#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_SIZE_VER2 88
#define ECLONE_ARGS_SIZE 48

enum { CBD_CLONE, CBD_CLONE_WITH_PIDS, CBD_CLONE_EXTENDED_FLAGS, CBD_CLONE_EXTENDED_INFO, CBD_ECLONE, CBD_CLONE3, CBD_NS_LAST_PID, CBD_CLONE_EXTENDED_FLAGS_REG, CBD_COUNT };
static const char *const cbd_names[CBD_COUNT] = {"clone", "clone_with_pids", "clone_extended_flags", "clone_extended_info", "eclone", "clone3", "ns_last_pid", "clone_extended_flags_reg"};



/* ---- shared kernel-side rules ---- */

static int pid_taken(const struct cbd_state *st, int level, int32_t pid) {
  for (int i = 0; i < st->ntaken; i++)
    if (st->taken[2 * i] == level && st->taken[2 * i + 1] == pid) return 1;
  return 0;
}

static void decode_legacy_flags(struct cbd_request *out, uint64_t word) {
  /* The kernel reads only the low 32 bits; their low byte is the exit signal. */
  out->flags[0] = word & CLONE_LEGACY_FLAGS & ~CSIGNAL;
  out->exit_signal = (int32_t)(word & CSIGNAL);
}

static void set_child_level(struct cbd_request *out, const struct cbd_state *st) {
  out->child_level = st->caller_level + ((out->flags[0] & CLONE_NEWPID) ? 1 : 0);
}

/* clone_with_pids, clone_extended and eclone: n pids, outermost first, right-aligned onto the
 * caller's levels (the last entry is the caller's own level); 0 = the kernel picks.
 * Check order (interfaces.md §2): count, copy, each pid's range, privilege, taken (EBUSY). */
static int outermost_first_pids(struct cbd_request *out, const struct cbd_state *st, int64_t n, uint64_t upids) {
  int32_t pids[CBD_LEVELS];
  if (n == 0) return 0;
  if (n < 0 || n > st->caller_level + 1) return -EINVAL;
  int rc = cbd_copy(out, pids, upids, (size_t)n * sizeof(int32_t), 0);
  if (rc) return rc;
  int first = st->caller_level + 1 - (int)n;
  for (int i = 0; i < n; i++)
    if (pids[i] < 0 || pids[i] >= st->pid_max) return -EINVAL;
  if (!st->privileged) return -EPERM;
  for (int i = 0; i < n; i++)
    if (pids[i] != 0 && pid_taken(st, first + i, pids[i])) return -EBUSY;
  for (int i = 0; i < n; i++) out->pid[first + i] = pids[i];
  return 0;
}

/* Legacy clone's argument order on this host (interfaces.md §1). */
struct legacy_args {
  uint64_t flags, stack, ptid, ctid, tls;
};
static struct legacy_args legacy_order(const uint64_t *r) {
  struct legacy_args a;
#if defined(__x86_64__) || defined(__alpha__) || defined(__sh__) || defined(__loongarch__)
  a = (struct legacy_args){r[0], r[1], r[2], r[3], r[4]};
#elif defined(__s390__)
  a = (struct legacy_args){r[1], r[0], r[2], r[3], r[4]};
#else /* CLONE_BACKWARDS: i386, arm, arm64, mips, powerpc, riscv */
  a = (struct legacy_args){r[0], r[1], r[2], r[4], r[3]};
#endif
  return a;
}

/* ---- one decoder per interface ---- */

static int dec_clone(const uint64_t *r, int nr, const struct cbd_state *st, struct cbd_request *out) {
  if (nr != 5) return -ENOSYS; /* not this interface's call sequence */
  struct legacy_args a = legacy_order(r);
  decode_legacy_flags(out, a.flags);
  out->stack = a.stack;
  out->parent_tid = a.ptid;
  out->child_tid = a.ctid;
  out->tls = a.tls;
  set_child_level(out, st);
  return 0;
}

struct pid_set {
  int num_pids;
  int32_t *pids;
};

/* clone_with_pids(flags, stack, parent_tid, child_tid, pid_set) */
static int dec_clone_with_pids(const uint64_t *r, int nr, const struct cbd_state *st, struct cbd_request *out) {
  if (nr != 5) return -ENOSYS; /* not this interface's call sequence */
  decode_legacy_flags(out, r[0]);
  out->stack = r[1];
  out->parent_tid = r[2];
  out->child_tid = r[3];
  set_child_level(out, st);
  if (r[4] == 0) return 0; /* a NULL pid_set: plain clone */
  struct pid_set set;
  int rc = cbd_copy(out, &set, r[4], sizeof set, 0);
  if (rc) return rc;
  return outermost_first_pids(out, st, set.num_pids, (uint64_t)(uintptr_t)set.pids);
}

/* clone_extended(clone_flags_t *flags, stack, unused, parent_tid, child_tid, pid_set) */
static int dec_clone_extended_flags(const uint64_t *r, int nr, const struct cbd_state *st, struct cbd_request *out) {
  unsigned long words[CBD_FLAG_WORDS];
  const int bits = (int)(sizeof(unsigned long) * 8);
  if (nr != 6) return -ENOSYS; /* not this interface's call sequence */
  if (st->flag_words < 1 || st->flag_words * bits > CBD_FLAG_WORDS * 64) return -EINVAL;
  /* The flags are always copied in, CLONE_FLAGS_WORDS * sizeof(long). */
  int rc = cbd_copy(out, words, r[0], (size_t)st->flag_words * sizeof(unsigned long), 0);
  if (rc) return rc;
  out->exit_signal = (int32_t)(words[0] & CSIGNAL);
  words[0] &= ~(unsigned long)CSIGNAL;
  for (int i = 0; i < st->flag_words; i++) {
    int bit = i * bits;
    out->flags[bit / 64] |= (uint64_t)words[i] << (bit % 64);
  }
  out->stack = r[1];
  out->parent_tid = r[3];
  out->child_tid = r[4];
  set_child_level(out, st);
  if (r[5] == 0) return 0;
  struct pid_set set;
  rc = cbd_copy(out, &set, r[5], sizeof set, 0);
  if (rc) return rc;
  return outermost_first_pids(out, st, set.num_pids, (uint64_t)(uintptr_t)set.pids);
}

/* clone_extended(unsigned long flags_word0, stack, clone_flags_t *flags, parent_tid, child_tid,
 * pid_set): option 1 with the RFC's register trick. Word 0 of clone_flags_t arrives by value;
 * words 1.. are copied from flags->flags[1] on only when flags is not NULL (the caller sets it
 * when a bit beyond word 0 is set), so flags that fit the register word cost no copy. */
static int dec_clone_extended_flags_reg(const uint64_t *r, int nr, const struct cbd_state *st, struct cbd_request *out) {
  unsigned long words[CBD_FLAG_WORDS];
  const int bits = (int)(sizeof(unsigned long) * 8);
  if (nr != 6) return -ENOSYS; /* not this interface's call sequence */
  if (st->flag_words < 1 || st->flag_words * bits > CBD_FLAG_WORDS * 64) return -EINVAL;
  memset(words, 0, sizeof words);
  words[0] = (unsigned long)r[0];
  if (r[2] != 0) {
    if (st->flag_words < 2) return -EINVAL; /* no word beyond the register one to read */
    int rc = cbd_copy(out, &words[1], r[2] + sizeof(unsigned long), (size_t)(st->flag_words - 1) * sizeof(unsigned long), 0);
    if (rc) return rc;
  }
  out->exit_signal = (int32_t)(words[0] & CSIGNAL);
  words[0] &= ~(unsigned long)CSIGNAL;
  for (int i = 0; i < st->flag_words; i++) {
    int bit = i * bits;
    out->flags[bit / 64] |= (uint64_t)words[i] << (bit % 64);
  }
  out->stack = r[1];
  out->parent_tid = r[3];
  out->child_tid = r[4];
  set_child_level(out, st);
  if (r[5] == 0) return 0;
  struct pid_set set;
  int rc = cbd_copy(out, &set, r[5], sizeof set, 0);
  if (rc) return rc;
  return outermost_first_pids(out, st, set.num_pids, (uint64_t)(uintptr_t)set.pids);
}

struct clone_info {
  int num_clone_high_words;
  int *flags_high;
  struct pid_set pid_set;
};

/* clone_extended(int flags_low, stack, unused, parent_tid, child_tid, clone_info) */
static int dec_clone_extended_info(const uint64_t *r, int nr, const struct cbd_state *st, struct cbd_request *out) {
  if (nr != 6) return -ENOSYS; /* not this interface's call sequence */
  decode_legacy_flags(out, (uint32_t)r[0]);
  out->stack = r[1];
  out->parent_tid = r[3];
  out->child_tid = r[4];
  set_child_level(out, st);
  if (r[5] == 0) return 0; /* NULL clone_info: nothing copied */
  struct clone_info info;
  int rc = cbd_copy(out, &info, r[5], sizeof info, 0);
  if (rc) return rc;
  if (info.num_clone_high_words < 0 || info.num_clone_high_words > CBD_MAX_HIGH_WORDS) return -EINVAL;
  if (info.num_clone_high_words > 0) {
    uint32_t high[CBD_MAX_HIGH_WORDS];
    rc = cbd_copy(out, high, (uint64_t)(uintptr_t)info.flags_high, (size_t)info.num_clone_high_words * sizeof(int), 0);
    if (rc) return rc;
    for (int i = 0; i < info.num_clone_high_words; i++) {
      int bit = 32 + 32 * i;
      out->flags[bit / 64] |= (uint64_t)high[i] << (bit % 64);
    }
  }
  return outermost_first_pids(out, st, info.pid_set.num_pids, (uint64_t)(uintptr_t)info.pid_set.pids);
}

struct eclone_args {
  uint64_t clone_flags_high, child_stack, child_stack_size, parent_tid_ptr, child_tid_ptr;
  uint32_t nr_pids, reserved0;
};
_Static_assert(sizeof(struct eclone_args) == ECLONE_ARGS_SIZE, "eclone's struct clone_args is 48 bytes");

/* eclone(u32 flags_low, struct clone_args *args, int args_size, pid_t *pids) */
static int dec_eclone(const uint64_t *r, int nr, const struct cbd_state *st, struct cbd_request *out) {
  if (nr != 4) return -ENOSYS; /* not this interface's call sequence */
  if ((int)(int32_t)r[2] != (int)sizeof(struct eclone_args)) return -EINVAL;
  struct eclone_args a;
  int rc = cbd_copy(out, &a, r[1], sizeof a, 0);
  if (rc) return rc;
  if (a.clone_flags_high != 0 || a.reserved0 != 0) return -EINVAL;
  decode_legacy_flags(out, (uint32_t)r[0]);
  out->stack = a.child_stack;
  out->stack_size = a.child_stack_size;
  out->parent_tid = a.parent_tid_ptr;
  out->child_tid = a.child_tid_ptr;
  set_child_level(out, st);
  return outermost_first_pids(out, st, a.nr_pids, r[3]);
}

struct clone3_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
_Static_assert(sizeof(struct clone3_args) == CLONE_ARGS_SIZE_VER2, "clone3's struct clone_args VER2 is 88 bytes");


/* lib/usercopy.c check_zeroed_user() as copy_struct_from_user calls it: the tail is read in
 * aligned words, in order, the first one masked below `src`, the last one above its end; the
 * first non-zero word ends the scan (-E2BIG) before any later word is read, so a non-zero byte
 * ahead of an unreadable one is E2BIG, not EFAULT (the differential test against the kernel
 * found this). Noted as one zero-check read of [src, src + len), as the copy plan lists it. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CBD_LOW_BYTES(n) (~0UL >> (8 * (sizeof(unsigned long) - (n)))) /* aligned_byte_mask(n) */
#else
#define CBD_LOW_BYTES(n) (~0UL << (8 * (sizeof(unsigned long) - (n))))
#endif
static int check_zeroed_tail(struct cbd_request *out, uint64_t src, size_t len) {
  const uint64_t word = sizeof(unsigned long);
  struct cbd_request unnoted; /* the word reads themselves are not plan reads */
  cbd_note_read(out, src, len, 1);
  if (len == 0) return 0;
  uint64_t align = src % word, from = src - align, size = len + align;
  for (;;) {
    unsigned long val;
    unnoted.nreads = 0;
    if (cbd_copy(&unnoted, &val, from, word, 1)) return -EFAULT;
    if (from == src - align && align) val &= ~CBD_LOW_BYTES(align);
    if (size <= word) {
      if (size < word) val &= CBD_LOW_BYTES(size);
      return val ? -E2BIG : 0;
    }
    if (val) return -E2BIG;
    from += word;
    size -= word;
  }
}

/* clone3(struct clone_args *uargs, size_t size): kernel/fork.c copy_clone_args_from_user,
 * clone3_args_valid, then alloc_pid's set_tid rules (as checked by kernels around 7.0: every
 * level's range first, then privilege, then whether the pid is free). */
static int dec_clone3(const uint64_t *r, int nr, const struct cbd_state *st, struct cbd_request *out) {
  if (nr != 2) return -ENOSYS; /* not this interface's call sequence */
  uint64_t uargs = r[0], usize = r[1];
  struct clone3_args a;
  memset(&a, 0, sizeof a);
  if (usize > (uint64_t)sysconf(_SC_PAGESIZE)) return -E2BIG;
  if (usize < CLONE_ARGS_SIZE_VER0) return -EINVAL;
  /* copy_struct_from_user: a newer, larger struct must have a zero tail. */
  if (usize > sizeof a) {
    int rc = check_zeroed_tail(out, uargs + sizeof a, (size_t)(usize - sizeof a));
    if (rc) return rc;
  }
  int rc = cbd_copy(out, &a, uargs, usize < sizeof a ? (size_t)usize : sizeof a, 0);
  if (rc) return rc;
  if (a.set_tid_size > CBD_MAX_PID_NS_LEVEL) return -EINVAL;
  if (!a.set_tid && a.set_tid_size > 0) return -EINVAL;
  if (a.set_tid && a.set_tid_size == 0) return -EINVAL;
  if ((a.exit_signal & ~CSIGNAL) || a.exit_signal > CBD_NSIG) return -EINVAL;
  if ((a.flags & CLONE_INTO_CGROUP) && (a.cgroup > INT_MAX || usize < CLONE_ARGS_SIZE_VER2)) return -EINVAL;
  int32_t set_tid[CBD_MAX_PID_NS_LEVEL];
  if (a.set_tid) {
    /* Copied here, before any flag check: the probe path of docs/method.md. */
    rc = cbd_copy(out, set_tid, a.set_tid, (size_t)a.set_tid_size * sizeof(int32_t), 0);
    if (rc) return rc;
  }
  /* clone3_args_valid() */
  if (a.flags & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) return -EINVAL;
  if (a.flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME))) return -EINVAL;
  if ((a.flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) return -EINVAL;
  if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal) return -EINVAL;
  if (a.stack == 0 ? a.stack_size != 0 : (a.stack_size == 0 || !cbd_user_range_ok(a.stack, a.stack_size))) return -EINVAL;
  out->flags[0] = a.flags;
  out->exit_signal = (int32_t)a.exit_signal;
  out->stack = a.stack;
  out->stack_size = a.stack_size;
  out->parent_tid = a.parent_tid;
  out->child_tid = a.child_tid;
  out->tls = a.tls;
  out->cgroup = a.cgroup;
  set_child_level(out, st);
  /* alloc_pid(): set_tid[0] is the child's own (innermost) level, then outwards. */
  int n = (int)a.set_tid_size;
  if (n > out->child_level + 1) return -EINVAL;
  for (int i = 0; i < n; i++) {
    int level = out->child_level - i;
    if (set_tid[i] < 1 || set_tid[i] >= st->pid_max) return -EINVAL;
    /* A namespace created by this call has no init yet: only pid 1 can be asked for. */
    if (level > st->caller_level && set_tid[i] != 1) return -EINVAL;
  }
  if (n > 0 && !st->privileged) return -EPERM;
  for (int i = 0; i < n; i++)
    if (pid_taken(st, out->child_level - i, set_tid[i])) return -EEXIST;
  for (int i = 0; i < n; i++) out->pid[out->child_level - i] = set_tid[i];
  return 0;
}

/* write(fd, buf, count) to /proc/sys/kernel/ns_last_pid, then clone. The sysctl handler checks
 * privilege before it parses; the clone then takes the next free pid from N = value + 1, which
 * may not be N (the race): the decoder reports the pid the child would really get. */
static int dec_ns_last_pid(const uint64_t *r, int nr, const struct cbd_state *st, struct cbd_request *out) {
  if (nr != 5 && nr != 8) return -ENOSYS; /* not this interface's call sequence */
  int32_t want = 0;
  if (nr == 8) {
    char text[32];
    size_t len = (size_t)r[2];
    if (len >= sizeof text) return -EINVAL;
    int rc = cbd_copy(out, text, r[1], len, 0);
    if (rc) return rc;
    if (!st->privileged) return -EPERM;
    int64_t v = 0;
    if (len == 0) return -EINVAL;
    for (size_t i = 0; i < len; i++) {
      if (text[i] < '0' || text[i] > '9') return -EINVAL;
      v = v * 10 + (text[i] - '0');
      if (v > INT_MAX) return -EINVAL;
    }
    if (v >= st->pid_max) return -EINVAL;
    want = (int32_t)v + 1;
    r += 3;
  }
  int rc = dec_clone(r, 5, st, out);
  if (rc || !want) return rc;
  int32_t got = want;
  while (got < st->pid_max && pid_taken(st, st->caller_level, got)) got++;
  if (got >= st->pid_max) return -EAGAIN;
  out->pid[st->caller_level] = got;
  return 0;
}

typedef int (*cbd_decoder)(const uint64_t *, int, const struct cbd_state *, struct cbd_request *);
static const cbd_decoder cbd_decoders[CBD_COUNT] = {dec_clone, dec_clone_with_pids, dec_clone_extended_flags, dec_clone_extended_info, dec_eclone, dec_clone3, dec_ns_last_pid, dec_clone_extended_flags_reg};

/* ---- exported ---- */

int cbd_abi_version(void) { return CBD_ABI_VERSION; }
int cbd_sizeof_request(void) { return (int)sizeof(struct cbd_request); }
int cbd_sizeof_state(void) { return (int)sizeof(struct cbd_state); }
/* Which copy path is in use: 0 process_vm_readv, 1 pipe. */
int cbd_copy_mode(void) { return cbd_use_pipe; }
void cbd_force_pipe(int on) { cbd_use_pipe = on ? 1 : 0; }

int cbd_interface_id(const char *name) {
  for (int i = 0; i < CBD_COUNT; i++)
    if (strcmp(name, cbd_names[i]) == 0) return i;
  return -1;
}

/* Decodes one call sequence; regs are every call's arguments, concatenated in order. */
int cbd_decode(int iface, const uint64_t *regs, int nregs, const struct cbd_state *st, struct cbd_request *out) {
  memset(out, 0, sizeof *out);
  if (iface < 0 || iface >= CBD_COUNT || !regs || !st || nregs < 0) return -ENOSYS;
  if (st->caller_level < 0 || st->caller_level > CBD_MAX_PID_NS_LEVEL || st->pid_max < 2 || st->ntaken < 0 || (st->ntaken && !st->taken)) return -ENOSYS;
  int rc = cbd_decoders[iface](regs, nregs, st, out);
  if (rc == 0 && out->child_level > CBD_MAX_PID_NS_LEVEL) return -ENOSPC; /* create_pid_namespace */
  return rc;
}
