/* build/restore: creates one process with chosen pids, for `clonebench restore` and
 * `clonebench conformance`, inside nested pid namespaces made for the purpose.
 *
 * The driver (this program, started by Node over a pipe) builds a chain for a caller at depth
 * N: it forks a level-0 member; unprivileged, that member first enters a user namespace of its
 * own (mapping its uid and gid to 0) when N >= 1; then each member clone3s (CLONE_NEWPID) the
 * next, down to the member at level N (pid 1 of the innermost namespace when N >= 1), which is
 * the caller: it makes the creating syscalls the driver forwards to it. With N = 0 the
 * level-0 member is the caller, in the driver's own namespaces (and without a user namespace
 * when unprivileged: that is what an unprivileged caller in the initial namespace is).
 *
 * A create is the real syscall with the argument bytes Node sends (clone3's struct clone_args
 * with its set_tid array, legacy clone's registers, or the ns_last_pid write then clone). The
 * child never runs C: the syscall is issued inline and the child goes straight to exit(0)
 * without touching the stack (so flags like CLONE_VM in a conformance case cannot corrupt the
 * caller). The caller then opens a pidfd on the child (a zombie keeps its pids until reaped),
 * reads its NSpid from /proc/self/fdinfo, which lists the child's pid from the /proc mount's
 * namespace (the driver's) down to its own, and reaps it. Every signal is blocked around the
 * create, so none is delivered to a child sharing the caller's memory.
 *
 * "Is pid P taken at level L" (for the decoders' kernel state, which says EBUSY or EEXIST for a
 * taken pid) is answered by the driver from /proc: at level 0, whether /proc/P exists (a task)
 * or P names a process group; at a level of the chain, whether a chain member has P as its pid,
 * process group or session there (NSpid, NSpgid, NSsid). The chain's namespaces are ours: only
 * its members live in them between creates.
 *
 * Cleanup: the driver is a child subreaper, so anything orphaned below it is reparented to it
 * and reaped; every member dies with its parent (PR_SET_PDEATHSIG) and exits at end of its
 * command pipe; an init's exit kills its whole namespace. `end`, a new `ns`, `quit` and end of
 * input tear the chain down: close the caller's pipe, reap everything (SIGKILL after 2 s).
 * The driver ignores SIGINT (Node decides when to stop) and so do the members it forks; the
 * caller ignores every signal but SIGCHLD (a child may exit with any signal).
 *
 * Protocol (one line each way):
 *   ns <depth>            -> ns ok <root|userns|plain> <page_size> <pid>:<pid_max>...
 *                            one pair per level, outermost first: the member's pid as the driver
 *                            sees it (level 0: the level-0 member, then each level's init) and
 *                            that namespace's pid_max (per namespace since Linux 6.14)
 *                          | ns err <errno> <step>
 *   taken <level> <pid>   -> taken <0|1>
 *   free <level>          -> free <pid>   (a pid nothing uses at that level)
 *   clone3 <size> <fault> <set_tid> <n> <tid>... <head> <k> <offset> <byte>...
 *        fault: none | args (the struct pointer is a PROT_NONE page) | tail (bytes from 88 on
 *        are PROT_NONE) | set_tid (set_tid points at a PROT_NONE page); set_tid: array (the
 *        set_tid member points at the n tids, innermost first) | asis (the member's value is
 *        in <head>); head: the first 88 bytes of the struct in hex; then k tail bytes beyond 88
 *   clone <r0> <r1> <r2> <r3> <r4>            legacy clone, the host's register order
 *   lastpid <text> <r0> <r1> <r2> <r3> <r4>   write <text> to /proc/sys/kernel/ns_last_pid, then clone
 *                         -> created <pid in the caller's namespace> <n> <NSpid>...   (n = 0:
 *                            NSpid unreadable, e.g. a thread)
 *                          | failed <errno> <step>
 *   userns                -> userns <0 | errno>   (can we make a user namespace? tried in a
 *                            child: a case with CLONE_NEWUSER depends on this machine's policy)
 *   end                   -> end ok
 *   quit (or end of input) -> teardown, exit 0 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "cb_proc.h"
#include "cb_raw.h"
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH 32 /* MAX_PID_NS_LEVEL */
#define ARGS_VER2 88
#define MAX_TIDS 64 /* set_tid_size is capped at 32 by the kernel; room for a case asking more */
#define MAX_STRUCT 65536
#define ERR_UNSUPPORTED 10001
#define ERR_PROTOCOL 10003

/* SYS_clone3, SYS_close_range and CLONE_NEWPID come with cb_proc.h. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

struct clone_args_v2 {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
_Static_assert(sizeof(struct clone_args_v2) == ARGS_VER2, "struct clone_args VER2 is 88 bytes");

/* ---------------------------------------------------------------- raw creates (x86_64) */

#if defined(__x86_64__)
#define RS_SUPPORTED 1
static long raw_clone3(uint64_t args, uint64_t size) {
  long ret;
  __asm__ volatile(CB_SYSCALL_CHILD_EXITS : "=a"(ret) : "0"((long)SYS_clone3), "D"(args), "S"(size) : "rcx", "r11", "memory");
  return ret;
}

/* Legacy clone with five register arguments as the encoder laid them out for x86_64
 * (flags, stack, parent_tid, child_tid, tls). */
static long raw_clone(const uint64_t r[5]) {
  long ret;
  register uint64_t r10 __asm__("r10") = r[3];
  register uint64_t r8 __asm__("r8") = r[4];
  __asm__ volatile(CB_SYSCALL_CHILD_EXITS : "=a"(ret) : "0"((long)SYS_clone), "D"(r[0]), "S"(r[1]), "d"(r[2]), "r"(r10), "r"(r8)
                   : "rcx", "r11", "memory");
  return ret;
}
#else
#define RS_SUPPORTED 0
#endif

/* ---------------------------------------------------------------- small helpers */



static long read_long_file(const char *path) {
  FILE *f = fopen(path, "r");
  long v = -1;
  if (f) {
    if (fscanf(f, "%ld", &v) != 1) v = -1;
    fclose(f);
  }
  return v;
}



/* The numbers after `key` ("NSpid:") in a /proc status-like file, at most max; -1 if absent. */
static int read_id_list(const char *path, const char *key, long *out, int max) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[512];
  int n = -1;
  size_t klen = strlen(key);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, klen) != 0) continue;
    n = 0;
    char *p = line + klen, *end;
    for (long v; n < max && (v = strtol(p, &end, 10), end != p); p = end) out[n++] = v;
    break;
  }
  fclose(f);
  return n;
}


/* ---------------------------------------------------------------- the caller's creates */

static int32_t tids[MAX_TIDS];

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads NSpid through a pidfd, then reaps the child. Returns the count (0 if unreadable). */
static int nspid_and_reap(long pid, long *nspid, int max) {
  int n = 0;
  int fd = (int)syscall(SYS_pidfd_open, (int)pid, 0);
  if (fd >= 0) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    n = read_id_list(path, "NSpid:", nspid, max);
    if (n < 0) n = 0;
    close(fd);
  }
  int status;
  while (waitpid((pid_t)pid, &status, __WALL) < 0 && errno == EINTR) {
  }
  return n;
}

static int answer_created(char *out, size_t size, long pid) {
  long nspid[MAX_DEPTH + 2];
  int n = nspid_and_reap(pid, nspid, MAX_DEPTH + 2);
  int len = snprintf(out, size, "created %ld %d", pid, n);
  for (int i = 0; i < n; i++) len += snprintf(out + len, size - (size_t)len, " %ld", nspid[i]);
  return len + snprintf(out + len, size - (size_t)len, "\n");
}

/* One create with every signal blocked; returns the syscall's result (pid or -errno). */
static long blocked(long (*fn)(const void *), const void *arg) {
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  long r = fn(arg);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return r;
}

#if RS_SUPPORTED
struct clone3_call {
  uint64_t args, size;
};
static long do_clone3(const void *p) {
  const struct clone3_call *c = p;
  return raw_clone3(c->args, c->size);
}
static long do_clone(const void *p) { return raw_clone((const uint64_t *)p); }
#endif

/* The words of a `clone3` line, parsed; 0 or -1 when malformed. */
struct clone3_line {
  unsigned long long size;
  char fault[16], mode[16];
  int ntids;
  unsigned char head[ARGS_VER2];
  int ntail;
  long tail_off[256], tail_val[256];
};

static int parse_clone3(char *args, struct clone3_line *c) {
  char *save = NULL, *w = strtok_r(args, " \n", &save);
#define NEXT() (w = strtok_r(NULL, " \n", &save))
  if (!w || sscanf(w, "%llu", &c->size) != 1) return -1;
  if (!NEXT() || sscanf(w, "%15s", c->fault) != 1 || !NEXT() || sscanf(w, "%15s", c->mode) != 1) return -1;
  if (!NEXT() || sscanf(w, "%d", &c->ntids) != 1 || c->ntids < 0 || c->ntids > MAX_TIDS) return -1;
  memset(tids, 0, sizeof tids);
  for (int i = 0; i < c->ntids; i++) {
    if (!NEXT()) return -1;
    tids[i] = (int32_t)strtol(w, NULL, 10);
  }
  if (!NEXT() || strlen(w) != 2 * ARGS_VER2) return -1;
  for (int i = 0; i < ARGS_VER2; i++) {
    int hi = hexval(w[2 * i]), lo = hexval(w[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    c->head[i] = (unsigned char)(hi << 4 | lo);
  }
  if (!NEXT() || sscanf(w, "%d", &c->ntail) != 1 || c->ntail < 0 || c->ntail > 256) return -1;
  for (int i = 0; i < c->ntail; i++) {
    if (!NEXT()) return -1;
    c->tail_off[i] = strtol(w, NULL, 10);
    if (!NEXT()) return -1;
    c->tail_val[i] = strtol(w, NULL, 10);
    if (c->tail_off[i] < ARGS_VER2 || c->tail_off[i] >= MAX_STRUCT || (unsigned long long)c->tail_off[i] >= c->size ||
        c->tail_val[i] < 0 || c->tail_val[i] > 255)
      return -1;
  }
#undef NEXT
  int fault_ok = !strcmp(c->fault, "none") || !strcmp(c->fault, "args") || !strcmp(c->fault, "set_tid") ||
                 (!strcmp(c->fault, "tail") && c->size > ARGS_VER2);
  return fault_ok && (!strcmp(c->mode, "array") || !strcmp(c->mode, "asis")) ? 0 : -1;
}

/* `clone3 ...` as described at the top; writes the answer into out. */
static void cmd_clone3(char *args, char *out, size_t size) {
#if RS_SUPPORTED
  static struct clone3_line c;
  if (parse_clone3(args, &c)) {
    snprintf(out, size, "failed %d protocol\n", ERR_PROTOCOL);
    return;
  }
  /* The struct on pages of its own followed by a PROT_NONE page; with fault "tail" it ends 88
   * bytes into that page's predecessor, so the kernel's read of byte 88 on faults. A size above
   * MAX_STRUCT is refused (E2BIG) before the kernel reads anything: 88 bytes are enough. */
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t len = c.size > MAX_STRUCT ? ARGS_VER2 : c.size < ARGS_VER2 ? ARGS_VER2 : (size_t)c.size;
  size_t area = (len + page - 1) / page * page;
  unsigned char *map = mmap(NULL, area + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) {
    snprintf(out, size, "failed %d mmap\n", errno);
    return;
  }
  unsigned char *guard = map + area;
  if (mprotect(guard, page, PROT_NONE)) {
    snprintf(out, size, "failed %d mprotect\n", errno);
    munmap(map, area + page);
    return;
  }
  int tail_fault = !strcmp(c.fault, "tail");
  unsigned char *args_at = tail_fault ? guard - ARGS_VER2 : map;
  memcpy(args_at, c.head, ARGS_VER2);
  for (int i = 0; i < c.ntail; i++)
    if (!tail_fault) args_at[c.tail_off[i]] = (unsigned char)c.tail_val[i];
  struct clone_args_v2 *a = (struct clone_args_v2 *)args_at;
  if (!strcmp(c.mode, "array")) a->set_tid = (uint64_t)(uintptr_t)tids;
  if (!strcmp(c.fault, "set_tid")) a->set_tid = (uint64_t)(uintptr_t)guard;
  struct clone3_call call = {!strcmp(c.fault, "args") ? (uint64_t)(uintptr_t)guard : (uint64_t)(uintptr_t)args_at, c.size};
  long pid = blocked(do_clone3, &call);
  munmap(map, area + page);
  if (pid < 0) snprintf(out, size, "failed %ld clone3\n", -pid);
  else answer_created(out, size, pid);
#else
  (void)args;
  snprintf(out, size, "failed %d unsupported\n", ERR_UNSUPPORTED);
#endif
}

static int parse_regs(char *s, uint64_t r[5]) {
  char *end;
  for (int i = 0; i < 5; i++) {
    while (*s == ' ') s++;
    errno = 0;
    r[i] = strtoull(s, &end, 0);
    if (end == s || errno) return -1;
    s = end;
  }
  return 0;
}

/* `clone <r0..r4>` and `lastpid <text> <r0..r4>`. */
static void cmd_clone(char *args, int with_last_pid, char *out, size_t size) {
#if RS_SUPPORTED
  uint64_t r[5];
  if (with_last_pid) {
    char text[32];
    int used = 0;
    if (sscanf(args, "%31s%n", text, &used) != 1 || parse_regs(args + used, r)) {
      snprintf(out, size, "failed %d protocol\n", ERR_PROTOCOL);
      return;
    }
    /* As CRIU's fork_with_pid: open, write N - 1 (the encoder's bytes), close, clone. */
    int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      snprintf(out, size, "failed %d open-/proc/sys/kernel/ns_last_pid\n", errno);
      return;
    }
    ssize_t wr = write(fd, text, strlen(text));
    int e = errno;
    close(fd);
    if (wr != (ssize_t)strlen(text)) {
      snprintf(out, size, "failed %d write-/proc/sys/kernel/ns_last_pid\n", wr < 0 ? e : EIO);
      return;
    }
  } else if (parse_regs(args, r)) {
    snprintf(out, size, "failed %d protocol\n", ERR_PROTOCOL);
    return;
  }
  long pid = blocked(do_clone, r);
  if (pid < 0) snprintf(out, size, "failed %ld clone\n", -pid);
  else answer_created(out, size, pid);
#else
  (void)args;
  (void)with_last_pid;
  snprintf(out, size, "failed %d unsupported\n", ERR_UNSUPPORTED);
#endif
}

/* The caller's command loop: never returns. */
__attribute__((noreturn)) static void caller_serve(int cmd_r, int rep_w) {
  FILE *in = fdopen(cmd_r, "r");
  char *line = NULL;
  size_t cap = 0;
  static char out[4096];
  while (in && getline(&line, &cap, in) > 0) {
    if (strncmp(line, "clone3 ", 7) == 0) cmd_clone3(line + 7, out, sizeof out);
    else if (strncmp(line, "clone ", 6) == 0) cmd_clone(line + 6, 0, out, sizeof out);
    else if (strncmp(line, "lastpid ", 8) == 0) cmd_clone(line + 8, 1, out, sizeof out);
    else snprintf(out, sizeof out, "failed %d unknown-command\n", ERR_PROTOCOL);
    if (cb_write_all(rep_w, out, strlen(out))) break; /* the driver is gone */
  }
  _exit(0);
}

/* ---------------------------------------------------------------- the chain */

enum { MODE_ROOT, MODE_USERNS, MODE_PLAIN };
static const char *const mode_names[] = {"root", "userns", "plain"};

/* A user namespace in which our uid and gid are 0 (setgroups denied, as an unprivileged
 * gid_map requires); the pid namespaces created afterwards are owned by it. */
static int enter_user_namespace(const char **step) {
  char map[64];
  uid_t uid = getuid();
  gid_t gid = getgid();
  int r;
  *step = "unshare(CLONE_NEWUSER)";
  if (unshare(CLONE_NEWUSER)) return -errno;
  *step = "write-/proc/self/setgroups";
  if ((r = cb_write_file("/proc/self/setgroups", "deny"))) return r;
  *step = "write-/proc/self/uid_map";
  snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
  if ((r = cb_write_file("/proc/self/uid_map", map))) return r;
  *step = "write-/proc/self/gid_map";
  snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
  if ((r = cb_write_file("/proc/self/gid_map", map))) return r;
  return 0;
}


static void member_fail(int rep_w, long err, const char *step, int level) {
  char out[256];
  int n = snprintf(out, sizeof out, "fail %ld %s-at-level-%d\n", err, step, level);
  cb_write_all(rep_w, out, (size_t)n);
  _exit(1);
}

/* Entered in the level-0 member right after the driver's fork; each level's process makes the
 * next (CLONE_NEWPID) and waits for it; the one at `depth` reports and serves. pids[] collects
 * the members' pids as the driver sees them, outermost first (each clone copies it). */
__attribute__((noreturn)) static void chain_member(int depth, int mode, pid_t driver, int cmd_r, int rep_w) {
  long pids[MAX_DEPTH + 1], pid_max[MAX_DEPTH + 1];
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != driver) _exit(1); /* the driver died before the line above */
  cb_keep_only(cmd_r, rep_w);
  for (int level = 0;; level++) {
    if (level > 0) prctl(PR_SET_PDEATHSIG, SIGKILL);
    pids[level] = cb_proc_self_pid();
    pid_max[level] = read_long_file("/proc/sys/kernel/pid_max"); /* this namespace's */
    if (level > 0 && getpid() != 1) member_fail(rep_w, EINVAL, "not-pid-1", level);
    if (level == 0 && mode == MODE_USERNS) {
      const char *step = "";
      long r = enter_user_namespace(&step);
      if (r) member_fail(rep_w, -r, step, 0);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
    }
    if (level == depth) {
      /* A child's exit signal may be any signal (a conformance case's exit_signal 64): the
       * caller ignores them all but SIGCHLD, whose SIG_IGN would reap children before their
       * NSpid is read. (An init is immune anyway: the kernel drops default-action signals.) */
      for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGCHLD && sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_IGN);
      char out[1024];
      int n = snprintf(out, sizeof out, "ready %ld", sysconf(_SC_PAGESIZE));
      for (int i = 0; i <= depth; i++) n += snprintf(out + n, sizeof out - (size_t)n, " %ld:%ld", pids[i], pid_max[i]);
      n += snprintf(out + n, sizeof out - (size_t)n, "\n");
      if (cb_write_all(rep_w, out, (size_t)n)) _exit(1);
      caller_serve(cmd_r, rep_w);
    }
    long child = cb_clone_newpid();
    if (child == 0) continue; /* the next level's init */
    if (child < 0) member_fail(rep_w, -child, "clone3(CLONE_NEWPID)", level + 1);
    /* Only the caller talks to the driver: its end of input must be the driver's. */
    close(cmd_r);
    close(rep_w);
    for (;;) {
      int status;
      pid_t r = waitpid(-1, &status, __WALL);
      if (r == child || (r < 0 && errno != EINTR)) _exit(0);
    }
  }
}

/* ---------------------------------------------------------------- the driver */

static struct {
  pid_t top; /* the level-0 member, our child; 0 = no chain */
  int depth, mode;
  int cmd_w;
  FILE *rep;
  long members[MAX_DEPTH + 1]; /* host pids, level 0 first */
  long pid_max[MAX_DEPTH + 1]; /* each level's */
} chain;

/* SIGKILL to every child of ours (the chain's top, orphans reparented to us) and to every
 * chain member: an init's death takes its namespace with it. */
static void kill_everything(void) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long)getpid());
  FILE *f = fopen(path, "r");
  long pid;
  while (f && fscanf(f, "%ld", &pid) == 1) kill((pid_t)pid, SIGKILL);
  if (f) fclose(f);
  for (int i = 0; i <= chain.depth; i++)
    if (chain.members[i] > 0) kill((pid_t)chain.members[i], SIGKILL);
}

/* Reaps every child (the chain and anything orphaned below us): end of input first, SIGKILL
 * after 2 s; gives up after 5 s rather than hang (never seen: SIGKILL is not refused). */
static void teardown(void) {
  if (chain.top) {
    close(chain.cmd_w);
    if (chain.rep) fclose(chain.rep);
    chain.rep = NULL;
  }
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  int killed = 0;
  for (;;) {
    int status;
    pid_t r = waitpid(-1, &status, __WALL | WNOHANG);
    if (r < 0 && errno == ECHILD) break;
    if (r > 0) continue;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
    if (!killed && ms > 2000) {
      kill_everything();
      killed = 1;
    }
    if (ms > 5000) break;
    usleep(1000);
  }
  chain.top = 0;
  memset(chain.members, 0, sizeof chain.members);
}

/* Reaps children other than the chain's top that have exited (a CLONE_PARENT child of a
 * depth-0 caller, orphans reparented to us); notices a top that died. */
static void reap_strays(void) {
  int status;
  pid_t r;
  while ((r = waitpid(-1, &status, __WALL | WNOHANG)) > 0)
    if (r == chain.top) chain.top = 0;
}

static void make_chain(int depth, char *out, size_t size) {
  teardown();
  int mode = cb_have_cap_sys_admin() ? MODE_ROOT : depth > 0 ? MODE_USERNS : MODE_PLAIN;
  int cmd[2], rep[2];
  if (pipe2(cmd, O_CLOEXEC)) {
    snprintf(out, size, "ns err %d pipe\n", errno);
    return;
  }
  if (pipe2(rep, O_CLOEXEC)) {
    snprintf(out, size, "ns err %d pipe\n", errno);
    close(cmd[0]);
    close(cmd[1]);
    return;
  }
  /* The member's ends must survive (no exec happens; O_CLOEXEC only keeps them from Node). */
  pid_t driver = getpid();
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) chain_member(depth, mode, driver, cmd[0], rep[1]);
  close(cmd[0]);
  close(rep[1]);
  if (child < 0) {
    snprintf(out, size, "ns err %d fork\n", errno);
    close(cmd[1]);
    close(rep[0]);
    return;
  }
  chain.top = child;
  chain.depth = depth;
  chain.mode = mode;
  chain.cmd_w = cmd[1];
  chain.rep = fdopen(rep[0], "r");
  char line[1024], step[128];
  long e = 0, page = 0;
  int used = 0;
  if (!chain.rep || !fgets(line, sizeof line, chain.rep)) {
    snprintf(out, size, "ns err %d chain-exited-before-ready\n", EPIPE);
    teardown();
  } else if (sscanf(line, "fail %ld %127s", &e, step) == 2) {
    snprintf(out, size, "ns err %ld %s\n", e, step);
    teardown();
  } else if (sscanf(line, "ready %ld%n", &page, &used) == 1) {
    char *p = line + used, *end;
    for (int i = 0; i <= depth; i++, p = end + 1) {
      chain.members[i] = strtol(p, &end, 10);
      chain.pid_max[i] = *end == ':' ? strtol(end + 1, &end, 10) : -1;
    }
    snprintf(out, size, "ns ok %s %ld%s", mode_names[mode], page, line + used);
  } else {
    snprintf(out, size, "ns err %d unexpected-answer\n", EPROTO);
    teardown();
  }
}

/* Is `pid` in use at `level` (0 = ours)? See the top of the file. */
static int pid_taken(int level, long pid) {
  if (pid < 1) return 0;
  if (level == 0) {
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%ld", pid);
    if (stat(path, &st) == 0) return 1;
    return kill(-(pid_t)pid, 0) == 0 || errno == EPERM; /* a process group */
  }
  if (!chain.top || level > chain.depth) return 0;
  static const char *const keys[] = {"NSpid:", "NSpgid:", "NSsid:"};
  for (int m = level; m <= chain.depth; m++) { /* members above `level` do not live there */
    char path[64];
    long ids[MAX_DEPTH + 2];
    snprintf(path, sizeof path, "/proc/%ld/status", chain.members[m]);
    for (int k = 0; k < 3; k++)
      if (read_id_list(path, keys[k], ids, MAX_DEPTH + 2) > level && ids[level] == pid) return 1;
  }
  return 0;
}

/* A pid nothing uses at `level`: in the chain's namespaces the lowest from 100 (clear of the
 * inits and of automatic pids), in ours a high one picked from our pid so that two drivers
 * rarely pick the same. */
static long free_pid(int level) {
  long max = chain.top && level <= chain.depth ? chain.pid_max[level] : read_long_file("/proc/sys/kernel/pid_max");
  if (max < 400) return -1;
  if (level > 0) {
    for (long p = 100; p < max; p++)
      if (!pid_taken(level, p)) return p;
    return -1;
  }
  long span = max / 4;
  long p = max - 1 - (long)getpid() % span;
  for (long i = 0; i < span; i++, p = p > max / 2 ? p - 1 : max - 1)
    if (!pid_taken(0, p)) return p;
  return -1;
}

/* 0 if a child of ours can unshare(CLONE_NEWUSER), else the errno. */
static int probe_user_namespace(void) {
  pid_t child = fork();
  if (child == 0) _exit(unshare(CLONE_NEWUSER) ? (errno & 0xff) : 0);
  if (child < 0) return errno;
  int status;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) return errno;
  return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

/* Sends a create to the caller and copies its answer. */
static void forward(const char *line, char *out, size_t size) {
  if (!chain.top || !chain.rep) {
    snprintf(out, size, "failed %d no-caller\n", ERR_PROTOCOL);
    return;
  }
  if (cb_write_all(chain.cmd_w, line, strlen(line)) || !fgets(out, (int)size, chain.rep)) {
    snprintf(out, size, "failed %d caller-gone\n", EPIPE);
    teardown();
  }
}

int main(void) {
  signal(SIGINT, SIG_IGN);  /* Node decides when to stop; the members inherit it */
  signal(SIGPIPE, SIG_IGN); /* a vanished reader is an error return, not a death */
  setvbuf(stdout, NULL, _IOLBF, 0);
  /* Orphans below us (a chain whose top died) are reparented to us and reaped here. */
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  char *line = NULL;
  size_t cap = 0;
  static char out[8192];
  while (getline(&line, &cap, stdin) > 0) {
    int d = 0;
    long pid = 0;
    if (strncmp(line, "quit", 4) == 0) break;
    reap_strays();
    if (sscanf(line, "ns %d", &d) == 1) {
      if (d < 0 || d > MAX_DEPTH) snprintf(out, sizeof out, "ns err %d depth\n", EINVAL);
      else make_chain(d, out, sizeof out);
    } else if (sscanf(line, "taken %d %ld", &d, &pid) == 2) {
      snprintf(out, sizeof out, "taken %d\n", pid_taken(d, pid));
    } else if (sscanf(line, "free %d", &d) == 1) {
      snprintf(out, sizeof out, "free %ld\n", free_pid(d));
    } else if (strncmp(line, "clone3 ", 7) == 0 || strncmp(line, "clone ", 6) == 0 || strncmp(line, "lastpid ", 8) == 0) {
      forward(line, out, sizeof out);
    } else if (strncmp(line, "userns", 6) == 0) {
      snprintf(out, sizeof out, "userns %d\n", probe_user_namespace());
    } else if (strncmp(line, "end", 3) == 0) {
      teardown();
      snprintf(out, sizeof out, "end ok\n");
    } else {
      snprintf(out, sizeof out, "error unknown command\n");
    }
    fputs(out, stdout);
  }
  teardown();
  return 0;
}
