/* SPDX-License-Identifier: MIT */
/*
 * Every construct of the header subset at once, for test/header-parse.test.ts: the parser's
 * layout of each struct is compiled against this very text by every target's compiler.
 */
#ifndef _KITCHEN_SINK_H
#define _KITCHEN_SINK_H

#include <linux/types.h>

#define N 4
#define TWICE(x) ((x) * 2)	/* function-like: fine as long as nothing uses it */
#define M (N * 2 + sizeof(__u64))
#define DEPTH 3

#if defined(DEPTH) && DEPTH > 2
#define WIDE 1
#elif DEPTH > 1
#define WIDE 2
#else
#error "unreachable"
#endif

#if 0
/*@ @id never_read */
struct never_parsed { this is not C; };
#endif

#ifdef __KERNEL__
#error "uapi headers are read as userspace sees them"
#endif

enum color { RED, GREEN = 5, BLUE };
enum delta { DOWN = -1, FLAT, UP };
enum huge { SMALL = 1, LARGE = 0x100000000ULL };
typedef __u32 u32a8 __attribute__((aligned(8)));
typedef int *intp;
typedef struct { unsigned long words[N]; } set_t;

struct fwd;

struct inner { __u8 c; __u16 s; };

/**
 * struct outer - kernel-doc is ignored
 * @flags: not an annotation (kernel-doc's member syntax)
 */
struct outer {
	char c;
	union {
		__u64 a;
		struct { __u32 lo, hi; };
	};
	struct inner in;
	struct { int x; } named;
	struct inner2 { __u16 a; } in2;
	enum color col;
	enum delta dir;
	enum huge big;
	u32a8 al;
	__u32 arr[M];
	__u32 by_size[sizeof(struct inner) * WIDE];
	const int *p, **pp;
	intp ip[2];
	struct fwd *later;
	__kernel_long_t kl;
	__be32 be;
	unsigned short us;
	long long int lli;
	signed char sc;
	__u64 packed_member __attribute__((packed));
	__u32 aligned_member __attribute__((__aligned__(16)));
	pid_t pids[];
};

struct fwd { __s64 v; volatile __u8 tail; };

struct __attribute__((aligned(16))) al16 { char c; };

struct packed_one {
	char c;
	u32a8 typedef_aligned;	/* packed overrides the typedef's alignment */
	__u32 own __attribute__((aligned(4)));
	struct al16 nested;
	set_t set;
} __attribute__((packed));

union top {
	__u8 bytes[5];
	__u32 word;
	union { __u16 h; __u64 q; } inner;
};

SYSCALL_DEFINE3(sink, struct outer __user *, o, set_t *, s, union top __user *, u)
{
	return 0;
}

#endif
