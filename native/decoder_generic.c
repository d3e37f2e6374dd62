/* clonebench generic decoder (build/decoder_generic.so, loaded by src/decode/generic.ts).
 *
 * The kernel side of an interface declared in a C header: instead of one hand-written decoder
 * per interface (native/decoder.c), it interprets a plan, a flat array of int64 words that
 * src/decode/generic-plan.ts compiles from the header's annotations and the host layout:
 *   - locations: a register argument, or bytes at an offset of a copied object;
 *   - objects: structs and arrays in user memory, each reached through a location that holds
 *     its address, in the order the kernel copies them (the encoder's copy plan);
 *   - flag groups (bits follow one another from group to group), the request's other fields
 *     (exit signal, stack, tids, tls, cgroup), the pid array and its order;
 *   - checks, each with the errno it returns, in the header's order.
 * A check that needs an object triggers the copies up to it, in plan order; what is not
 * checked is copied after the last check. The results are the same struct cbd_request and the
 * same read record as native/decoder.c, so src/decode/ treats both alike.
 *
 * Every user read goes through cbd_copy(): process_vm_readv() on our own pid turns an
 * unreadable address into -EFAULT (a pipe write where that syscall is unavailable). Nothing
 * here dereferences a user pointer. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cbd_common.h"

#define CBG_ABI_VERSION 1
#define CBG_PLAN_MAGIC 0x43424731 /* "CBG1" */

/* ---- the plan ---- */

enum { H_MAGIC, H_NREGS, H_NLOCS, H_NOBJS, H_NGROUPS, H_NCHECKS, H_PID_MODE, H_PID_STORAGE, H_PID_REF, H_PID_COUNT_LOC, H_PID_ORDER, H_PID_LEVELS_OF, H_PID_ZERO_OK, H_PID_CAPACITY, H_NEWPID_BIT, H_NKNOWN, H_WORDS };
enum { ROLE_EXIT, ROLE_STACK, ROLE_STACK_SIZE, ROLE_PTID, ROLE_CTID, ROLE_TLS, ROLE_CGROUP, ROLES };
enum { PID_NONE, PID_ARRAY, PID_NS_LAST_PID };
enum { OBJ_STRUCT = 1, OBJ_ARRAY = 2 };
enum { RULE_FIXED, RULE_EXACT, RULE_COPY_STRUCT };
enum { G_VALUE, G_INLINE, G_POINTER };
enum {
  C_SIZE_ABOVE_MAX = 1, C_SIZE_BELOW_MIN, C_SIZE_NOT_EXACT, C_TAIL_NOT_ZERO, C_FAULT, C_NEGATIVE, C_ABOVE_MAX, C_NULL_MISMATCH,
  C_ABOVE_LEVELS, C_NOT_ZERO, C_UNKNOWN_FLAGS, C_EXIT_SIGNAL, C_FLAG_MEMBER, C_PID_RANGE, C_PID_NOT_1, C_UNPRIVILEGED, C_PID_TAKEN,
  C_FLAGS_EXCLUSIVE, C_FLAG_FORBIDS, C_STACK_PAIR,
};

#define MAX_LOCS 256
#define MAX_OBJS 16
#define MAX_GROUPS 8
#define MAX_CHECKS 64
#define OBJ_BYTES 4096  /* a struct or array buffer; larger ones are refused by the plan compiler */
#define TAIL_BYTES 65536

struct loc { int64_t obj, offset, width, is_signed; };
struct obj { int64_t kind, ptr_loc, nullable, size, count_loc, capacity, rule, ksize, tail_errno; };
struct group { int64_t storage, ref, width, used_bits, fixed_count, count_loc, csignal, zero, rejected; };
struct check { int64_t kind, err, a, b, c; };

struct ctx {
  const int64_t *h;
  const struct loc *locs;
  const struct obj *objs;
  const struct group *groups;
  const struct check *checks;
  const int64_t *known;
  const uint64_t *regs;
  const struct cbd_state *st;
  struct cbd_request *out;
  int next_copy;                 /* objects [0, next_copy) are copied (or absent) */
  int present[MAX_OBJS];
  uint8_t buf[MAX_OBJS][OBJ_BYTES];
};


/* ---- values ---- */

static int ensure(struct ctx *c, int upto);

/* An integer of 1, 2, 4 or 8 bytes in host byte order (what a C struct on this host holds). */
static uint64_t read_host(const uint8_t *p, int64_t width) {
  switch (width) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
  }
}

/* The raw bits at a location (element i of an inline array), sign-extended if signed. */
static uint64_t loc_value(struct ctx *c, int64_t l, int64_t i) {
  const struct loc *L = &c->locs[l];
  uint64_t v = 0;
  if (L->obj < 0) {
    v = c->regs[L->offset];
  } else {
    if (!c->present[L->obj]) return 0; /* a NULL optional struct reads as zeros */
    v = read_host(c->buf[L->obj] + L->offset + i * L->width, L->width);
  }
  if (L->width < 8) {
    uint64_t mask = (1ULL << (8 * L->width)) - 1;
    v &= mask;
    if (L->is_signed && (v >> (8 * L->width - 1))) v |= ~mask;
  }
  return v;
}

/* Copies the object holding a location first (registers need nothing). */
static int need_loc(struct ctx *c, int64_t l) {
  return l < 0 || c->locs[l].obj < 0 ? 0 : ensure(c, (int)c->locs[l].obj);
}

static int64_t as_signed(struct ctx *c, int64_t l, uint64_t v) {
  return c->locs[l].is_signed ? (int64_t)v : (int64_t)(v > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : v);
}

/* One object: a struct (size rules, zero tail) or an array (count * element). */
static int copy_obj(struct ctx *c, int i) {
  const struct obj *o = &c->objs[i];
  uint64_t ptr = loc_value(c, o->ptr_loc, 0);
  c->present[i] = 0;
  if (o->kind == OBJ_ARRAY) {
    int64_t n = as_signed(c, o->count_loc, loc_value(c, o->count_loc, 0));
    if (n == 0) return 0;
    if (n < 0 || n > o->capacity || n * o->size > OBJ_BYTES) return -EINVAL; /* cannot be copied: the decoder's bound */
    c->present[i] = 1;
    return cbd_copy(c->out, c->buf[i], ptr, (size_t)(n * o->size), 0);
  }
  if (ptr == 0 && o->nullable) return 0;
  c->present[i] = 1;
  uint64_t len = (uint64_t)o->size;
  if (o->rule != RULE_FIXED) {
    uint64_t usize = loc_value(c, o->count_loc, 0);
    if (o->rule == RULE_COPY_STRUCT) {
      /* copy_struct_from_user: a newer, larger struct must have a zero tail. */
      if (usize > (uint64_t)o->ksize) {
        static uint8_t tail[TAIL_BYTES];
        uint64_t n = usize - (uint64_t)o->ksize;
        if (n > TAIL_BYTES) return -E2BIG; /* the decoder's bound; the kernel bounds size by PAGE_SIZE */
        int rc = cbd_copy(c->out, tail, ptr + (uint64_t)o->ksize, (size_t)n, 1);
        if (rc) return rc;
        for (uint64_t k = 0; k < n; k++)
          if (tail[k]) return -(int)o->tail_errno;
      }
      len = usize < (uint64_t)o->ksize ? usize : (uint64_t)o->ksize;
    } else {
      len = usize < (uint64_t)o->size ? usize : (uint64_t)o->size;
    }
  }
  return cbd_copy(c->out, c->buf[i], ptr, (size_t)len, 0);
}

/* Copies objects in plan order up to and including `upto` (-1: none, MAX: all). */
static int ensure(struct ctx *c, int upto) {
  int n = (int)c->h[H_NOBJS];
  if (upto >= n) upto = n - 1;
  while (c->next_copy <= upto) {
    int i = c->next_copy++;
    int rc = copy_obj(c, i);
    if (rc) return rc;
  }
  return 0;
}

/* ---- flags ---- */

/* Word w of group g (after its holder is copied). */
static uint64_t group_word(struct ctx *c, const struct group *g, int64_t w) {
  if (g->storage == G_VALUE) return loc_value(c, g->ref, 0);
  if (g->storage == G_INLINE) return loc_value(c, g->ref, w);
  const struct obj *o = &c->objs[g->ref];
  if (!c->present[g->ref]) return 0;
  return read_host(c->buf[g->ref] + w * o->size, o->size);
}

static int64_t group_count(struct ctx *c, const struct group *g) {
  if (g->fixed_count >= 0) return g->fixed_count;
  return as_signed(c, g->count_loc, loc_value(c, g->count_loc, 0));
}

static int need_groups(struct ctx *c) {
  for (int i = 0; i < c->h[H_NGROUPS]; i++) {
    const struct group *g = &c->groups[i];
    int rc = g->storage == G_POINTER ? ensure(c, (int)g->ref) : need_loc(c, g->ref);
    if (rc) return rc;
    if ((rc = need_loc(c, g->count_loc))) return rc;
  }
  return 0;
}

static void set_bit(uint64_t *words, int64_t bit) {
  if (bit >= 0 && bit < CBD_FLAG_WORDS * 64) words[bit / 64] |= 1ULL << (bit % 64);
}

/* All flag bits (exit signal byte included where csignal) into words; rejected groups' unknown bits into unknown. */
static void combine_flags(struct ctx *c, uint64_t *words, uint64_t *unknown) {
  int64_t cursor = 0;
  memset(words, 0, CBD_FLAG_WORDS * 8);
  if (unknown) memset(unknown, 0, CBD_FLAG_WORDS * 8);
  for (int i = 0; i < c->h[H_NGROUPS]; i++) {
    const struct group *g = &c->groups[i];
    if (g->zero) continue;
    int64_t n = group_count(c, g);
    for (int64_t w = 0; w < n; w++) {
      uint64_t v = group_word(c, g, w);
      for (int b = 0; b < g->used_bits; b++) {
        if (!((v >> b) & 1)) continue;
        int64_t bit = cursor + w * g->used_bits + b;
        set_bit(words, bit);
        int csig = i == 0 && g->csignal && bit < 8;
        int known = bit / 64 < c->h[H_NKNOWN] && ((c->known[bit / 64] >> (bit % 64)) & 1);
        if (unknown && g->rejected && !csig && !known) set_bit(unknown, bit);
      }
    }
    cursor += n * g->used_bits;
  }
}

/* ---- pids ---- */

static int64_t pid_count(struct ctx *c) {
  return as_signed(c, c->h[H_PID_COUNT_LOC], loc_value(c, c->h[H_PID_COUNT_LOC], 0));
}

static int need_pids(struct ctx *c) {
  int rc = need_loc(c, c->h[H_PID_COUNT_LOC]);
  if (rc) return rc;
  return c->h[H_PID_STORAGE] ? ensure(c, (int)c->h[H_PID_REF]) : need_loc(c, c->h[H_PID_REF]);
}

static int32_t pid_at(struct ctx *c, int64_t i) {
  if (!c->h[H_PID_STORAGE]) return (int32_t)loc_value(c, c->h[H_PID_REF], i);
  int32_t v;
  memcpy(&v, c->buf[c->h[H_PID_REF]] + i * 4, 4);
  return v;
}

static int child_level(struct ctx *c) {
  uint64_t words[CBD_FLAG_WORDS];
  combine_flags(c, words, NULL);
  int64_t bit = c->h[H_NEWPID_BIT];
  return c->st->caller_level + (int)((words[bit / 64] >> (bit % 64)) & 1);
}

/* The absolute level of pid entry i of n. */
static int pid_level(struct ctx *c, int64_t i, int64_t n) {
  if (c->h[H_PID_ORDER] == 0) {
    int top = c->h[H_PID_LEVELS_OF] ? child_level(c) : c->st->caller_level;
    return top + 1 - (int)n + (int)i; /* outermost first, right-aligned */
  }
  int top = c->h[H_PID_LEVELS_OF] ? child_level(c) : c->st->caller_level;
  return top - (int)i; /* innermost first */
}

static int pid_taken(const struct cbd_state *st, int level, int32_t pid) {
  for (int i = 0; i < st->ntaken; i++)
    if (st->taken[2 * i] == level && st->taken[2 * i + 1] == pid) return 1;
  return 0;
}


static int flag_set(struct ctx *c, int64_t bit) {
  uint64_t words[CBD_FLAG_WORDS];
  combine_flags(c, words, NULL);
  return (int)((words[bit / 64] >> (bit % 64)) & 1);
}

/* ---- checks ---- */

static int run_check(struct ctx *c, const struct check *k) {
  int err = -(int)k->err;
  int rc;
  switch (k->kind) {
    case C_SIZE_ABOVE_MAX:
      return loc_value(c, k->a, 0) > (uint64_t)sysconf(_SC_PAGESIZE) ? err : 0;
    case C_SIZE_BELOW_MIN:
      return loc_value(c, k->a, 0) < (uint64_t)k->b ? err : 0;
    case C_SIZE_NOT_EXACT:
      return as_signed(c, k->a, loc_value(c, k->a, 0)) != k->b ? err : 0;
    case C_TAIL_NOT_ZERO: /* the zero tail is checked by the struct's copy, with this errno */
    case C_FAULT:
      return ensure(c, k->a < 0 ? MAX_OBJS : (int)k->a);
    case C_NEGATIVE:
      if ((rc = need_loc(c, k->a))) return rc;
      return as_signed(c, k->a, loc_value(c, k->a, 0)) < 0 ? err : 0;
    case C_ABOVE_MAX:
      if ((rc = need_loc(c, k->a))) return rc;
      return as_signed(c, k->a, loc_value(c, k->a, 0)) > k->b ? err : 0;
    case C_NULL_MISMATCH: {
      if ((rc = need_loc(c, k->a)) || (rc = need_loc(c, k->b))) return rc;
      uint64_t p = loc_value(c, k->a, 0), n = loc_value(c, k->b, 0);
      return (!p && n) || (p && !n) ? err : 0;
    }
    case C_ABOVE_LEVELS: {
      if ((rc = need_loc(c, k->a)) || (rc = need_groups(c))) return rc;
      int top = c->h[H_PID_LEVELS_OF] ? child_level(c) : c->st->caller_level;
      return as_signed(c, k->a, loc_value(c, k->a, 0)) > top + 1 ? err : 0;
    }
    case C_NOT_ZERO:
      if ((rc = need_loc(c, k->a))) return rc;
      for (int64_t i = 0; i < k->b; i++)
        if (loc_value(c, k->a, i)) return err;
      return 0;
    case C_UNKNOWN_FLAGS: {
      uint64_t words[CBD_FLAG_WORDS], unknown[CBD_FLAG_WORDS];
      if ((rc = need_groups(c))) return rc;
      combine_flags(c, words, unknown);
      for (int i = 0; i < CBD_FLAG_WORDS; i++)
        if (unknown[i]) return err;
      return 0;
    }
    case C_EXIT_SIGNAL: {
      if ((rc = need_loc(c, k->a))) return rc;
      uint64_t v = loc_value(c, k->a, 0);
      return (v & ~0xffULL) || v > CBD_NSIG ? err : 0;
    }
    case C_FLAG_MEMBER: {
      uint64_t words[CBD_FLAG_WORDS];
      if ((rc = need_loc(c, k->a)) || (rc = need_groups(c))) return rc;
      combine_flags(c, words, NULL);
      if (!((words[k->b / 64] >> (k->b % 64)) & 1)) return 0;
      const struct obj *o = &c->objs[c->locs[k->a].obj];
      uint64_t usize = o->rule != RULE_FIXED ? loc_value(c, o->count_loc, 0) : (uint64_t)o->size;
      return loc_value(c, k->a, 0) > INT_MAX || usize < (uint64_t)k->c ? err : 0;
    }
    case C_FLAGS_EXCLUSIVE:
      if ((rc = need_groups(c))) return rc;
      return flag_set(c, k->a) && flag_set(c, k->b) ? err : 0;
    case C_FLAG_FORBIDS:
      if ((rc = need_loc(c, k->a)) || (rc = need_groups(c))) return rc;
      return flag_set(c, k->b) && loc_value(c, k->a, 0) ? err : 0;
    case C_STACK_PAIR: {
      if ((rc = need_loc(c, k->a)) || (rc = need_loc(c, k->b))) return rc;
      uint64_t stack = loc_value(c, k->a, 0), size = loc_value(c, k->b, 0);
      return (stack == 0 ? size != 0 : (size == 0 || !cbd_user_range_ok(stack, size))) ? err : 0;
    }
    case C_PID_RANGE:
    case C_PID_NOT_1:
    case C_UNPRIVILEGED:
    case C_PID_TAKEN: {
      if (c->h[H_PID_MODE] != PID_ARRAY) return 0;
      if ((rc = need_pids(c)) || (rc = need_groups(c))) return rc;
      int64_t n = pid_count(c);
      if (n < 0 || n > c->h[H_PID_CAPACITY]) return -EINVAL; /* the decoder's bound */
      if (k->kind == C_UNPRIVILEGED) return n > 0 && !c->st->privileged ? err : 0;
      for (int64_t i = 0; i < n; i++) {
        int32_t pid = pid_at(c, i);
        int level = pid_level(c, i, n);
        if (k->kind == C_PID_RANGE && (pid < (c->h[H_PID_ZERO_OK] ? 0 : 1) || pid >= c->st->pid_max)) return err;
        if (k->kind == C_PID_NOT_1 && level > c->st->caller_level && pid != 1) return err;
        if (k->kind == C_PID_TAKEN && pid != 0 && pid_taken(c->st, level, pid)) return err;
      }
      return 0;
    }
  }
  return -EBADMSG;
}

/* ---- the plan's shape, checked before anything else ---- */

static int parse_plan(struct ctx *c, const int64_t *plan, int nplan) {
  if (nplan < H_WORDS + ROLES || plan[H_MAGIC] != CBG_PLAN_MAGIC) return -EBADMSG;
  int64_t nl = plan[H_NLOCS], no = plan[H_NOBJS], ng = plan[H_NGROUPS], nc = plan[H_NCHECKS], nk = plan[H_NKNOWN];
  if (nl < 0 || nl > MAX_LOCS || no < 0 || no > MAX_OBJS || ng < 0 || ng > MAX_GROUPS || nc < 0 || nc > MAX_CHECKS || nk < 0 || nk > CBD_FLAG_WORDS) return -EBADMSG;
  if (nplan != H_WORDS + ROLES + nl * 4 + no * 9 + ng * 9 + nc * 5 + nk) return -EBADMSG;
  c->h = plan;
  c->locs = (const struct loc *)(plan + H_WORDS + ROLES);
  c->objs = (const struct obj *)((const int64_t *)c->locs + nl * 4);
  c->groups = (const struct group *)((const int64_t *)c->objs + no * 9);
  c->checks = (const struct check *)((const int64_t *)c->groups + ng * 9);
  c->known = (const int64_t *)c->checks + nc * 5;
  for (int64_t i = 0; i < nl; i++) {
    const struct loc *L = &c->locs[i];
    if (L->obj < -1 || L->obj >= no || (L->width != 1 && L->width != 2 && L->width != 4 && L->width != 8)) return -EBADMSG;
    if (L->obj < 0 ? L->offset < 0 || L->offset >= plan[H_NREGS] : L->offset < 0 || L->offset + L->width > OBJ_BYTES) return -EBADMSG;
  }
  for (int64_t i = 0; i < no; i++) {
    const struct obj *o = &c->objs[i];
    if (o->ptr_loc < 0 || o->ptr_loc >= nl || o->size < 1 || o->size > OBJ_BYTES) return -EBADMSG;
    if (c->locs[o->ptr_loc].obj >= i) return -EBADMSG; /* a pointer is read before its target */
    if (o->count_loc >= nl || (o->kind == OBJ_ARRAY && o->count_loc < 0)) return -EBADMSG;
    if (o->kind == OBJ_ARRAY && o->size != 1 && o->size != 2 && o->size != 4 && o->size != 8) return -EBADMSG;
    if (o->kind != OBJ_ARRAY && o->kind != OBJ_STRUCT) return -EBADMSG;
  }
  for (int64_t i = 0; i < ng; i++) {
    const struct group *g = &c->groups[i];
    if (g->used_bits < 1 || g->used_bits > 64 || g->ref < 0 || g->ref >= (g->storage == G_POINTER ? no : nl) || g->count_loc >= nl) return -EBADMSG;
    if (g->fixed_count < 0 && g->count_loc < 0) return -EBADMSG;
  }
  if (plan[H_PID_MODE] == PID_ARRAY) {
    if (plan[H_PID_COUNT_LOC] < 0 || plan[H_PID_COUNT_LOC] >= nl || plan[H_PID_REF] < 0 || plan[H_PID_REF] >= (plan[H_PID_STORAGE] ? no : nl)) return -EBADMSG;
    if (plan[H_PID_CAPACITY] < 0 || plan[H_PID_CAPACITY] > CBD_LEVELS) return -EBADMSG;
  }
  if (plan[H_NEWPID_BIT] < 0 || plan[H_NEWPID_BIT] >= CBD_FLAG_WORDS * 64) return -EBADMSG;
  for (int64_t i = ROLE_EXIT; i < ROLES; i++)
    if (plan[H_WORDS + i] < -1 || plan[H_WORDS + i] >= nl) return -EBADMSG;
  for (int64_t i = 0; i < nc; i++) {
    const struct check *k = &c->checks[i];
    int locs_ab = k->kind == C_SIZE_ABOVE_MAX || k->kind == C_SIZE_BELOW_MIN || k->kind == C_SIZE_NOT_EXACT || k->kind == C_NEGATIVE || k->kind == C_ABOVE_MAX ||
                  k->kind == C_ABOVE_LEVELS || k->kind == C_NOT_ZERO || k->kind == C_EXIT_SIGNAL || k->kind == C_FLAG_MEMBER || k->kind == C_NULL_MISMATCH;
    if (k->kind < C_SIZE_ABOVE_MAX || k->kind > C_STACK_PAIR || k->err < 1 || k->err > 4095) return -EBADMSG;
    if (k->kind == C_FLAGS_EXCLUSIVE && (k->a < 0 || k->a >= CBD_FLAG_WORDS * 64 || k->b < 0 || k->b >= CBD_FLAG_WORDS * 64)) return -EBADMSG;
    if (k->kind == C_FLAG_FORBIDS && (k->a < 0 || k->a >= nl || k->b < 0 || k->b >= CBD_FLAG_WORDS * 64)) return -EBADMSG;
    if (k->kind == C_STACK_PAIR && (k->a < 0 || k->a >= nl || k->b < 0 || k->b >= nl)) return -EBADMSG;
    if (locs_ab && (k->a < 0 || k->a >= nl)) return -EBADMSG;
    if (k->kind == C_NULL_MISMATCH && (k->b < 0 || k->b >= nl)) return -EBADMSG;
    if ((k->kind == C_FAULT || k->kind == C_TAIL_NOT_ZERO) && k->a >= no) return -EBADMSG;
    if (k->kind == C_FLAG_MEMBER && (c->locs[k->a].obj < 0 || k->b < 0 || k->b >= CBD_FLAG_WORDS * 64)) return -EBADMSG;
    if (k->kind == C_NOT_ZERO && (k->b < 1 || c->locs[k->a].offset + k->b * c->locs[k->a].width > (c->locs[k->a].obj < 0 ? 8 : OBJ_BYTES))) return -EBADMSG;
  }
  return 0;
}

/* ---- decoding ---- */

static int decode_call(struct ctx *c) {
  int rc;
  for (int i = 0; i < c->h[H_NCHECKS]; i++)
    if ((rc = run_check(c, &c->checks[i]))) return rc;
  if ((rc = ensure(c, MAX_OBJS))) return rc;
  struct cbd_request *out = c->out;
  combine_flags(c, out->flags, NULL);
  const struct group *g0 = c->h[H_NGROUPS] ? &c->groups[0] : NULL;
  if (g0 && g0->csignal) {
    out->exit_signal = (int32_t)(out->flags[0] & 0xff);
    out->flags[0] &= ~0xffULL;
  }
  const int64_t *roles = c->h + H_WORDS;
  if (roles[ROLE_EXIT] >= 0) out->exit_signal = (int32_t)loc_value(c, roles[ROLE_EXIT], 0);
  uint64_t *fields[ROLES] = {NULL, &out->stack, &out->stack_size, &out->parent_tid, &out->child_tid, &out->tls, &out->cgroup};
  for (int r = ROLE_STACK; r < ROLES; r++)
    if (roles[r] >= 0) *fields[r] = loc_value(c, roles[r], 0);
  out->child_level = child_level(c);
  if (c->h[H_PID_MODE] == PID_ARRAY) {
    int64_t n = pid_count(c);
    if (n < 0 || n > c->h[H_PID_CAPACITY]) return -EINVAL;
    for (int64_t i = 0; i < n; i++) {
      int level = pid_level(c, i, n);
      if (level < 0 || level > out->child_level) return -EINVAL; /* more pids than levels */
      out->pid[level] = pid_at(c, i);
    }
  }
  return 0;
}

/* write(fd, buf, count) of N - 1 to /proc/sys/kernel/ns_last_pid, then the call (as native/decoder.c). */
static int decode_ns_last_pid(struct ctx *c, int nregs) {
  int32_t want = 0;
  if (nregs == c->h[H_NREGS] + 3) {
    char text[32];
    size_t len = (size_t)c->regs[2];
    if (len >= sizeof text) return -EINVAL;
    int rc = cbd_copy(c->out, text, c->regs[1], len, 0);
    if (rc) return rc;
    if (!c->st->privileged) return -EPERM;
    int64_t v = 0;
    if (len == 0) return -EINVAL;
    for (size_t i = 0; i < len; i++) {
      if (text[i] < '0' || text[i] > '9') return -EINVAL;
      v = v * 10 + (text[i] - '0');
      if (v > INT_MAX) return -EINVAL;
    }
    if (v >= c->st->pid_max) return -EINVAL;
    want = (int32_t)v + 1;
    c->regs += 3;
  } else if (nregs != c->h[H_NREGS]) return -ENOSYS;
  int rc = decode_call(c);
  if (rc || !want) return rc;
  int32_t got = want;
  while (got < c->st->pid_max && pid_taken(c->st, c->st->caller_level, got)) got++;
  if (got >= c->st->pid_max) return -EAGAIN;
  c->out->pid[c->st->caller_level] = got;
  return 0;
}

/* ---- exported ---- */

int cbg_abi_version(void) { return CBG_ABI_VERSION; }
int cbg_sizeof_request(void) { return (int)sizeof(struct cbd_request); }
int cbg_sizeof_state(void) { return (int)sizeof(struct cbd_state); }
int cbg_copy_mode(void) { return cbd_use_pipe; }
void cbg_force_pipe(int on) { cbd_use_pipe = on ? 1 : 0; }

/* Decodes one call sequence with a plan; -EBADMSG for a malformed plan. */
int cbg_decode(const int64_t *plan, int nplan, const uint64_t *regs, int nregs, const struct cbd_state *st, struct cbd_request *out) {
  static struct ctx c;
  memset(out, 0, sizeof *out);
  if (!plan || !regs || !st || nregs < 0) return -EBADMSG;
  memset(&c, 0, sizeof c);
  int rc = parse_plan(&c, plan, nplan);
  if (rc) return rc;
  if (st->caller_level < 0 || st->caller_level > CBD_MAX_PID_NS_LEVEL || st->pid_max < 2 || st->ntaken < 0 || (st->ntaken && !st->taken)) return -ENOSYS;
  c.regs = regs;
  c.st = st;
  c.out = out;
  if (plan[H_PID_MODE] == PID_NS_LAST_PID) rc = decode_ns_last_pid(&c, nregs);
  else rc = nregs == plan[H_NREGS] ? decode_call(&c) : -ENOSYS;
  if (rc == 0 && out->child_level > CBD_MAX_PID_NS_LEVEL) return -EUSERS;
  return rc;
}
