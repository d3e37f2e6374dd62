/* build/pidns: creating processes with chosen pids, timed inside pid namespaces of our own.
 *
 * A chain of depth N is N nested pid namespaces below the driver's: the driver clone3s
 * (CLONE_NEWPID) init_1, which clone3s init_2 (CLONE_NEWPID), ... down to init_N, pid 1 of the
 * innermost namespace, which runs the timing loops: its children get pids at N levels, so
 * set_tid of size N chooses them all (set_tid[0] = the innermost). ns_last_pid is one level
 * only (it acts on the writer's active pid namespace), so it runs in the depth-1 chain.
 *
 * Privilege: with CAP_SYS_ADMIN (root), the namespaces are owned by the run's user namespace.
 * Without it, the driver first unshares a user namespace, maps its uid and gid to 0 there, and
 * the pid namespaces it then creates are owned by that user namespace, where set_tid and
 * ns_last_pid writes are allowed. (One unshare(CLONE_NEWUSER) followed by clone3(CLONE_NEWPID)
 * per chain, not unshare(CLONE_NEWUSER|CLONE_NEWPID): the latter makes one namespace whose init
 * is the driver's next child, and each chain needs a namespace of its own.) Nothing is mounted:
 * /proc/sys/kernel/ns_last_pid acts on the writer's active pid namespace whatever the /proc
 * mount, and /proc/self resolves in the mount's (the run's) namespace, where the chain's
 * processes also have pids.
 *
 * Pids chosen: level i (0 = innermost) gets PIDS_FIRST + i * PIDS_RANGE + k, k cycling through
 * 0..PIDS_RANGE-1; distinct numbers per level, so the check below sees the order. Every child
 * is reaped before the next create, so a pid is free again when its turn comes; only the inits
 * live in these namespaces (pids 1..N), below the range.
 *
 * Checks: every set_tid create compares the returned pid (the innermost level's) with
 * set_tid[0], every ns_last_pid create with N (a mismatch there is a race); after the timed
 * part of each set_tid batch one untimed create takes a pidfd and reads NSpid from
 * /proc/self/fdinfo, which lists the child's pid at every level, and compares all of them.
 *
 * Cleanup: each chain process dies with its parent (PR_SET_PDEATHSIG) and exits on end of its
 * command pipe; when an init exits, the kernel kills everything left in its namespace and the
 * init is reaped only once they are gone, so reaping a chain's top reaps the whole chain.
 *
 * Protocol (one line each way, as build/clonehelper):
 *   ns <depth>                           -> ns ok <root|userns> <PIDS_FIRST> <PIDS_RANGE>
 *                                           <chain pids, outermost first>
 *                                           | ns err <errno> <step>
 *   run <depth> <method> <iters>         -> ok <ns> <done> <ret> <mismatches> <verified>
 *   pair <depth> <method> <block> <pairs> -> pair <nsA> <nsB> <done> <ret> <mismatches>
 *                                           <verified> <pairs> <(A-B) ns per create>...
 *   status <depth>                       -> status <VmRSS kB> <VMA count> <pid> <legacy>  (init_N;
 *                                           legacy 1: clone3 answered ENOSYS, creates use clone)
 *   pin <cpu>                            -> ok 0 0 <ret>   (before any chain: they inherit it)
 *   quit (or end of input)               -> every chain reaped, exit 0
 * methods: 0 plain clone3, 1 set_tid at every level, 2 ns_last_pid by pwrite on an fd opened
 * once, 3 ns_last_pid by open/write/close each time (as CRIU's fork_with_pid, without its
 * flock). `pair` runs the method (A) against plain clone3 (B) in ABBA blocks in the same init.
 * <verified>: levels whose pid the pidfd check confirmed (0 when not checked), -1 on a
 * mismatch. <mismatches>: creates whose returned pid was not the chosen one. */
#include "cb_core.h"
#include "cb_proc.h"
#include "cb_self.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>

#define PIDS_FIRST 1000
#define PIDS_RANGE 1000
#define MAX_DEPTH 8
#define MAX_PAIRS 512
#define LINE 16384

enum { M_PLAIN = 0, M_SET_TID = 1, M_LAST_PID = 2, M_LAST_PID_OPEN = 3 };

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#if CB_SUPPORTED
static const char LAST_PID_PATH[] = "/proc/sys/kernel/ns_last_pid";



/* ---------------------------------------------------------------- the timing init (init_N) */

struct init_state {
  int depth;
  int k;          /* next offset in the pid range */
  int last_pid_fd; /* method 2, opened on first use */
};

/* The pids of the next chosen create: level i (0 = innermost) in tids[i]. */
static void next_pids(struct init_state *st, int32_t *tids) {
  for (int i = 0; i < st->depth; i++) tids[i] = PIDS_FIRST + i * PIDS_RANGE + st->k;
  st->k = (st->k + 1) % PIDS_RANGE;
}

static long reap(long pid) {
  int status;
  for (;;) {
    long r = cb_sys4(SYS_wait4, pid, (long)&status, __WALL, 0);
    if (r == pid) return 0;
    if (r != -EINTR) return r < 0 ? r : -ECHILD;
  }
}

/* Sets the next automatic pid of our active pid namespace to `want` (writes want - 1). */
static long set_last_pid(struct init_state *st, int method, long want) {
  char buf[16];
  int n = snprintf(buf, sizeof buf, "%ld", want - 1);
  if (method == M_LAST_PID) {
    if (st->last_pid_fd < 0) {
      st->last_pid_fd = open(LAST_PID_PATH, O_WRONLY | O_CLOEXEC);
      if (st->last_pid_fd < 0) return -errno;
    }
    return pwrite(st->last_pid_fd, buf, (size_t)n, 0) == n ? 0 : -errno;
  }
  int fd = open(LAST_PID_PATH, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  ssize_t w = write(fd, buf, (size_t)n);
  long r = w == n ? 0 : -errno;
  close(fd);
  return r;
}

/* Set once clone3 answers ENOSYS: plain and ns_last_pid creates then use legacy clone. */
static int no_clone3;

/* One fork-like create (child exits at once) + reap. Returns 0 or -errno; a child whose pid is
 * not the chosen one counts in *mismatches (it is reaped all the same). */
static long create_one(struct init_state *st, int method, int64_t *mismatches) {
  struct cb_clone_args a;
  memset(&a, 0, sizeof a);
  a.exit_signal = SIGCHLD;
  int32_t tids[MAX_DEPTH];
  long want = 0;
  if (method == M_SET_TID) {
    next_pids(st, tids);
    a.set_tid = (uint64_t)(uintptr_t)tids;
    a.set_tid_size = (uint64_t)st->depth;
    want = tids[0];
  } else if (method == M_LAST_PID || method == M_LAST_PID_OPEN) {
    next_pids(st, tids);
    want = tids[0];
    long r = set_last_pid(st, method, want);
    if (r) return r;
  }
  long pid;
  if (method != M_SET_TID && no_clone3) {
    pid = cb_raw_clone(SIGCHLD, NULL, NULL, NULL, 0);
  } else {
    pid = cb_raw_clone3(&a, sizeof a);
    /* Without clone3 (old kernels, seccomp filters of 2020-era container runtimes) the plain and
     * ns_last_pid creates go through legacy clone with the same flags, for both sides of a
     * pair alike; set_tid has no fallback and reports ENOSYS. */
    if (pid == -ENOSYS && method != M_SET_TID) {
      no_clone3 = 1;
      pid = cb_raw_clone(SIGCHLD, NULL, NULL, NULL, 0);
    }
  }
  if (pid < 0) return pid;
  if (want && pid != want) (*mismatches)++;
  return reap(pid);
}

/* Untimed: one set_tid create with a pidfd, whose fdinfo NSpid line lists the child's pid from
 * the /proc mount's namespace down to the innermost; its last `depth` entries must be set_tid
 * reversed. Returns depth when all match, -1 on a mismatch, 0 when NSpid cannot be read, or
 * -errno when the create fails. */
static long verify_set_tid(struct init_state *st) {
  struct cb_clone_args a;
  memset(&a, 0, sizeof a);
  int32_t tids[MAX_DEPTH];
  int pidfd = -1;
  next_pids(st, tids);
  a.flags = CLONE_PIDFD;
  a.pidfd = (uint64_t)(uintptr_t)&pidfd;
  a.exit_signal = SIGCHLD;
  a.set_tid = (uint64_t)(uintptr_t)tids;
  a.set_tid_size = (uint64_t)st->depth;
  long pid = cb_raw_clone3(&a, sizeof a);
  if (pid < 0) return pid;
  long result = 0;
  char path[64], line[512];
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
  FILE *f = fopen(path, "r");
  /* The child may still be running or a zombie: either way its pids stay attached until reaped. */
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, "NSpid:", 6) != 0) continue;
    long nspid[40];
    int m = 0;
    char *p = line + 6, *end;
    for (long v; m < 40 && (v = strtol(p, &end, 10), end != p); p = end) nspid[m++] = v;
    if (m < st->depth) break;
    result = st->depth;
    for (int i = 0; i < st->depth; i++)
      if (nspid[m - 1 - i] != tids[i]) result = -1;
  }
  if (f) fclose(f);
  close(pidfd);
  long r = reap(pid);
  return r ? r : result;
}

struct batch_out {
  int64_t ns[2], done;
  int64_t mismatches;
  long verified;
  int64_t pairs;
  double delta[MAX_PAIRS];
};

/* One untimed plain create before a batch: the init has slept in read() since the last one, and
 * the first create after that wake-up is slow (cold caches); untimed it lands on neither side
 * of a pair. */
static long warm_up(struct init_state *st) {
  int64_t unused = 0;
  return create_one(st, M_PLAIN, &unused);
}

/* Every signal blocked for the batch, as cb_run_clone: the children start with the mask. */
static long run_batch(struct init_state *st, int method, int64_t iters, struct batch_out *o) {
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  long r = warm_up(st);
  int64_t t0 = cb_now_ns(), i = 0;
  if (r) iters = 0;
  for (; i < iters; i++)
    if ((r = create_one(st, method, &o->mismatches))) break;
  o->ns[0] = cb_now_ns() - t0;
  o->done = i;
  sigprocmask(SIG_SETMASK, &old, NULL);
  return r;
}

/* Method (A) against plain clone3 (B) through the shared ABBA loop (cb_abba in cb_core.h):
 * `pairs` block pairs of `block` creates, so a drift inside the batch cancels and A and B share
 * each millisecond of the VM's phases. */
struct pair_ctx {
  struct init_state *st;
  int method[2]; /* side 0 (A): the method; side 1 (B): plain */
  int64_t *mismatches;
};

static long pair_side(void *ctx, int side, int64_t block) {
  struct pair_ctx *c = (struct pair_ctx *)ctx;
  for (int64_t i = 0; i < block; i++) {
    long r = create_one(c->st, c->method[side], c->mismatches);
    if (r) return r;
  }
  return 0;
}

static long pair_batch(struct init_state *st, int method, int64_t block, int64_t pairs, struct batch_out *o) {
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  long r = warm_up(st);
  if (!r) {
    struct pair_ctx c = {st, {method, M_PLAIN}, &o->mismatches};
    r = cb_abba(pair_side, cb_clock_monotonic, &c, block, pairs, o->ns, o->delta, &o->pairs);
    o->done = block * o->pairs; /* creates of side A, as `run` counts them */
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  return r;
}

/* Serves run/pair/status from the driver until end of input; never returns. */
__attribute__((noreturn)) static void init_serve(int depth, int cmd_r, int rep_w) {
  struct init_state st = {.depth = depth, .k = 0, .last_pid_fd = -1};
  FILE *in = fdopen(cmd_r, "r");
  static char out[LINE];
  char line[256];
  while (in && fgets(line, sizeof line, in)) {
    long long m = 0, x = 0, y = 0;
    struct batch_out o;
    memset(&o, 0, sizeof o);
    int n = 0;
    if (sscanf(line, "run %lld %lld", &m, &x) == 2) {
      long r = (m < M_PLAIN || m > M_LAST_PID_OPEN || x < 1) ? -CB_ERR_BADARGS : run_batch(&st, (int)m, x, &o);
      if (!r && m == M_SET_TID) o.verified = verify_set_tid(&st);
      if (o.verified < -1) r = o.verified;
      n = snprintf(out, sizeof out, "ok %lld %lld %ld %lld %ld\n", (long long)o.ns[0], (long long)o.done, r,
                   (long long)o.mismatches, r ? 0 : o.verified);
    } else if (sscanf(line, "pair %lld %lld %lld", &m, &x, &y) == 3) {
      long r = (m <= M_PLAIN || m > M_LAST_PID_OPEN || x < 1 || y < 1 || y > MAX_PAIRS) ? -CB_ERR_BADARGS
                                                                                          : pair_batch(&st, (int)m, x, y, &o);
      if (!r && m == M_SET_TID) o.verified = verify_set_tid(&st);
      if (o.verified < -1) r = o.verified;
      n = snprintf(out, sizeof out, "pair %lld %lld %lld %ld %lld %ld %lld", (long long)o.ns[0], (long long)o.ns[1],
                   (long long)o.done, r, (long long)o.mismatches, r ? 0 : o.verified, (long long)o.pairs);
      for (int64_t p = 0; p < o.pairs && n < LINE - 32; p++) n += snprintf(out + n, sizeof out - (size_t)n, " %.1f", o.delta[p]);
      n += snprintf(out + n, sizeof out - (size_t)n, "\n");
    } else if (strncmp(line, "status", 6) == 0) {
      n = snprintf(out, sizeof out, "status %ld %ld %ld %d\n", cb_rss_kb(), cb_vma_count(), cb_proc_self_pid(), no_clone3);
    } else {
      n = snprintf(out, sizeof out, "error unknown command\n");
    }
    if (cb_write_all(rep_w, out, (size_t)n)) break; /* the driver is gone */
  }
  _exit(0);
}

/* ---------------------------------------------------------------- the chain */



/* The chain below the driver, entered in init_1 (pid 1 of a namespace one level below the
 * driver's); each level's init clone3s the next one, which goes round the loop as init_level.
 * pids[] holds the chain's pids in the run's namespace, outermost first, filled level by level
 * (each fork copies it). Never returns. */
__attribute__((noreturn)) static void chain_member(int depth, int cmd_r, int rep_w, long *pids) {
  char out[512];
  int n;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  cb_keep_only(cmd_r, rep_w);
  for (int level = 1;; level++) {
    if (level > 1) prctl(PR_SET_PDEATHSIG, SIGKILL);
    pids[level - 1] = cb_proc_self_pid();
    if (getpid() != 1) { /* cannot happen after CLONE_NEWPID; never time outside our namespace */
      n = snprintf(out, sizeof out, "fail %d not-pid-1-at-level-%d\n", EINVAL, level);
      cb_write_all(rep_w, out, (size_t)n);
      _exit(1);
    }
    if (level == depth) {
      n = snprintf(out, sizeof out, "ready");
      for (int i = 0; i < depth; i++) n += snprintf(out + n, sizeof out - (size_t)n, " %ld", pids[i]);
      n += snprintf(out + n, sizeof out - (size_t)n, "\n");
      if (cb_write_all(rep_w, out, (size_t)n)) _exit(1);
      init_serve(depth, cmd_r, rep_w);
    }
    long child = cb_clone_newpid();
    if (child == 0) continue; /* the next level's init */
    if (child < 0) {
      n = snprintf(out, sizeof out, "fail %ld clone3(CLONE_NEWPID)-at-level-%d\n", -child, level + 1);
      cb_write_all(rep_w, out, (size_t)n);
      _exit(1);
    }
    /* Only the innermost init talks to the driver: its end of input must be the driver's. */
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

struct chain {
  int depth;
  long top; /* init_1's pid, our child */
  int cmd_w;
  FILE *rep;
};
static struct chain chains[MAX_DEPTH + 1]; /* by depth */
static enum { MODE_UNSET, MODE_ROOT, MODE_USERNS } mode;



/* Once per driver: with CAP_SYS_ADMIN nothing to do; otherwise a user namespace in which our
 * uid and gid are 0 (setgroups denied, as an unprivileged gid_map requires). */
static int ensure_privilege(const char **step) {
  if (mode != MODE_UNSET) return 0;
  if (cb_have_cap_sys_admin()) {
    mode = MODE_ROOT;
    return 0;
  }
  char map[64];
  uid_t uid = getuid();
  gid_t gid = getgid();
  *step = "unshare(CLONE_NEWUSER)";
  if (unshare(CLONE_NEWUSER)) return -errno;
  int r;
  *step = "write-/proc/self/setgroups";
  if ((r = cb_write_file("/proc/self/setgroups", "deny"))) return r;
  *step = "write-/proc/self/uid_map";
  snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
  if ((r = cb_write_file("/proc/self/uid_map", map))) return r;
  *step = "write-/proc/self/gid_map";
  snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
  if ((r = cb_write_file("/proc/self/gid_map", map))) return r;
  mode = MODE_USERNS;
  return 0;
}

static void reap_chain(struct chain *c) {
  if (!c->top) return;
  close(c->cmd_w);
  if (c->rep) fclose(c->rep);
  /* End of input makes init_N exit and the chain unwind; a stuck one is killed after 2 s. */
  int status;
  for (int i = 0; i < 2000 && waitpid((pid_t)c->top, &status, WNOHANG) == 0; i++) usleep(1000);
  if (kill((pid_t)c->top, SIGKILL) == 0) waitpid((pid_t)c->top, &status, 0);
  c->top = 0;
  c->rep = NULL;
}

/* Creates the chain of `depth` namespaces; answers the `ns` line into out. */
static void make_chain(int depth, char *out, size_t size) {
  const char *step = "pipe";
  struct chain *c = &chains[depth];
  if (c->top) {
    snprintf(out, size, "error namespace at depth %d exists\n", depth);
    return;
  }
  long r = ensure_privilege(&step);
  int cmd[2], rep[2];
  if (!r && pipe(cmd)) r = -errno;
  if (!r && pipe(rep)) {
    r = -errno;
    close(cmd[0]);
    close(cmd[1]);
  }
  if (r) {
    snprintf(out, size, "ns err %ld %s\n", -r, step);
    return;
  }
  fflush(stdout);
  long pids[MAX_DEPTH];
  long child = cb_clone_newpid();
  if (child == 0) chain_member(depth, cmd[0], rep[1], pids);
  close(cmd[0]);
  close(rep[1]);
  if (child < 0) {
    close(cmd[1]);
    close(rep[0]);
    snprintf(out, size, "ns err %ld clone3(CLONE_NEWPID)-at-level-1\n", -child);
    return;
  }
  *c = (struct chain){.depth = depth, .top = child, .cmd_w = cmd[1], .rep = fdopen(rep[0], "r")};
  char line[512], word[64];
  long e = 0;
  if (!c->rep || !fgets(line, sizeof line, c->rep)) {
    snprintf(out, size, "ns err %d chain-exited-before-ready\n", EPIPE);
    reap_chain(c);
  } else if (sscanf(line, "fail %ld %63s", &e, word) == 2) {
    snprintf(out, size, "ns err %ld %s\n", e, word);
    reap_chain(c);
  } else if (strncmp(line, "ready ", 6) == 0) {
    snprintf(out, size, "ns ok %s %d %d %s", mode == MODE_ROOT ? "root" : "userns", PIDS_FIRST, PIDS_RANGE, line + 6);
  } else {
    snprintf(out, size, "ns err %d unexpected-answer\n", EPROTO);
    reap_chain(c);
  }
}

/* Sends `cmd` (the command without its depth) to chain `depth` and copies its answer. */
static void forward(int depth, const char *cmd, char *out, size_t size) {
  struct chain *c = &chains[depth];
  if (!c->top) {
    snprintf(out, size, "error no namespace at depth %d\n", depth);
    return;
  }
  if (cb_write_all(c->cmd_w, cmd, strlen(cmd)) || !fgets(out, (int)size, c->rep)) {
    snprintf(out, size, "error the namespace at depth %d is gone\n", depth);
    reap_chain(c);
  }
}
#endif

int main(void) {
  signal(SIGINT, SIG_IGN);  /* as clonehelper: the parent decides when to stop */
  signal(SIGPIPE, SIG_IGN); /* a vanished reader is an error return, not a death */
  setvbuf(stdout, NULL, _IOLBF, 0);
  static char line[256], out[LINE];
  while (fgets(line, sizeof line, stdin)) {
    int d = 0;
    long long a = 0, b = 0, c = 0;
    char cmd[256];
    if (strncmp(line, "quit", 4) == 0) break;
#if CB_SUPPORTED
    if (sscanf(line, "ns %d", &d) == 1) {
      if (d < 1 || d > MAX_DEPTH) snprintf(out, sizeof out, "ns err %d depth\n", EINVAL);
      else make_chain(d, out, sizeof out);
    } else if (sscanf(line, "run %d %lld %lld", &d, &a, &b) == 3 && d >= 1 && d <= MAX_DEPTH) {
      snprintf(cmd, sizeof cmd, "run %lld %lld\n", a, b);
      forward(d, cmd, out, sizeof out);
    } else if (sscanf(line, "pair %d %lld %lld %lld", &d, &a, &b, &c) == 4 && d >= 1 && d <= MAX_DEPTH) {
      snprintf(cmd, sizeof cmd, "pair %lld %lld %lld\n", a, b, c);
      forward(d, cmd, out, sizeof out);
    } else if (sscanf(line, "status %d", &d) == 1 && d >= 1 && d <= MAX_DEPTH) {
      forward(d, "status\n", out, sizeof out);
    } else if (sscanf(line, "pin %lld", &a) == 1) {
      snprintf(out, sizeof out, "ok 0 0 %d\n", cb_pin((int)a));
    } else {
      snprintf(out, sizeof out, "error unknown command\n");
    }
#else
    (void)d; (void)a; (void)b; (void)c; (void)cmd;
    snprintf(out, sizeof out, "error unsupported %d\n", CB_ERR_UNSUPPORTED);
#endif
    fputs(out, stdout);
  }
#if CB_SUPPORTED
  for (int i = 0; i <= MAX_DEPTH; i++) reap_chain(&chains[i]);
#endif
  return 0;
}
