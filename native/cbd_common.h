/* What the two decoders (native/decoder.c for the built-in interfaces, native/decoder_generic.c
 * for header-declared ones) share: the shapes of the structs they exchange with JavaScript
 * (src/decode/native.ts checks both sizes at load) and the bounds-checked copy every user read
 * goes through. Each .so gets its own copy of these statics. */
#ifndef CBD_COMMON_H
#define CBD_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define CBD_FLAG_WORDS 64     /* decoded flags: 4096 bits */
#define CBD_LEVELS 33         /* MAX_PID_NS_LEVEL + 1 */
#define CBD_MAX_READS 8
#define CBD_MAX_PID_NS_LEVEL 32
#define CBD_NSIG 64           /* _NSIG: valid_signal() */

/* The kernel state a decoder needs: the caller's pid-namespace level, pid_max, whether the
 * caller is privileged (CAP_SYS_ADMIN where the interface asks for it), the pids already taken
 * (pairs level, pid) and clone_extended_flags' CLONE_FLAGS_WORDS. */
struct cbd_state {
  int32_t caller_level;
  int32_t pid_max;
  int32_t privileged;
  int32_t flag_words;
  int32_t ntaken;
  int32_t pad;
  const int32_t *taken;
};

/* The decoded request: flags without the exit signal, bit k in flags[k / 64]; pid[level] is the
 * chosen pid at that absolute level, 0 where automatic; the reads made, in order. */
struct cbd_request {
  uint64_t flags[CBD_FLAG_WORDS];
  uint64_t stack, stack_size, parent_tid, child_tid, tls, cgroup;
  int32_t exit_signal;
  int32_t child_level;
  int32_t pid[CBD_LEVELS];
  int32_t nreads;
  uint64_t read_addr[CBD_MAX_READS];
  uint64_t read_len[CBD_MAX_READS];
  int32_t read_kind[CBD_MAX_READS]; /* 0 copy, 1 zero check */
};

/* ---- the bounds-checked copy ----
 * process_vm_readv() on our own pid turns an unreadable user address into EFAULT instead of a
 * crash, as copy_from_user does; where it is unavailable (ENOSYS, EPERM under some seccomp
 * profiles) a pipe does the same (write() from the address faults with EFAULT). */

static int cbd_pipe[2] = {-1, -1};
static int cbd_use_pipe; /* set once process_vm_readv turns out to be unavailable */

static int cbd_copy_via_pipe(void *dst, uint64_t src, size_t len) {
  if (cbd_pipe[0] < 0 && pipe(cbd_pipe) != 0) return -errno;
  while (len > 0) {
    size_t chunk = len > 4096 ? 4096 : len;
    ssize_t w = write(cbd_pipe[1], (const void *)(uintptr_t)src, chunk);
    if (w < 0) return errno == EFAULT ? -EFAULT : -errno;
    ssize_t r = read(cbd_pipe[0], dst, (size_t)w);
    if (r != w) return -EIO;
    dst = (char *)dst + w;
    src += (uint64_t)w;
    len -= (size_t)w;
  }
  return 0;
}

static void cbd_note_read(struct cbd_request *out, uint64_t src, size_t len, int kind) {
  if (out->nreads < CBD_MAX_READS) {
    out->read_addr[out->nreads] = src;
    out->read_len[out->nreads] = len;
    out->read_kind[out->nreads] = kind;
  }
  out->nreads++;
}

/* copy_from_user: 0, or -EFAULT if any byte of [src, src + len) is unreadable. */
static int cbd_copy(struct cbd_request *out, void *dst, uint64_t src, size_t len, int kind) {
  cbd_note_read(out, src, len, kind);
  if (len == 0) return 0;
  if (src + len < src) return -EFAULT;
  if (!cbd_use_pipe) {
    struct iovec local = {dst, len};
    struct iovec remote = {(void *)(uintptr_t)src, len};
    ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    if (n == (ssize_t)len) return 0;
    if (n >= 0 || errno == EFAULT) return -EFAULT;
    if (errno != ENOSYS && errno != EPERM) return -errno;
    cbd_use_pipe = 1;
  }
  return cbd_copy_via_pipe(dst, src, len);
}

/* access_ok() for a user range on this host: below TASK_SIZE_MAX (x86_64, 4-level paging). */
static inline int cbd_user_range_ok(uint64_t addr, uint64_t size) {
#if defined(__x86_64__)
  const uint64_t task_size_max = (1ULL << 47) - 4096;
  return addr + size >= addr && addr + size <= task_size_max;
#else
  return addr + size >= addr;
#endif
}

#endif
