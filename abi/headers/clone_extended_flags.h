/* SPDX-License-Identifier: MIT */
/*
 * clone_extended(), option 1 of the 2009 RFC: the flags move into user memory as a sigset-style
 * array of unsigned long words; pids through struct pid_set as in clone_with_pids.
 */
#include <linux/types.h>

#define CLONE_FLAGS_WORDS 2	/* the RFC leaves the word count open: --flag-words N */

typedef struct {
	unsigned long flags[CLONE_FLAGS_WORDS];	/* bit k in word k / BITS_PER_LONG */
} clone_flags_t;

struct pid_set {
	int num_pids;
	pid_t *pids;
};

/*@
 * @id clone_extended_flags_h
 * @title clone_extended(), option 1: sigset-style clone_flags_t (RFC 2009; abi/headers/clone_extended_flags.h)
 * @summary Flags move into memory as unsigned long words tested with sigsetops-like helpers; pids through struct pid_set.
 * @source [RFC][v4][PATCH 0/7] clone_with_pids(), option 1
 * @status RFC
 * @when August 2009; not pursued
 * @privilege global CAP_SYS_ADMIN
 * @parameter CLONE_FLAGS_WORDS min=1 max=64 -- unsigned long words in clone_flags_t (the RFC leaves it open)
 *
 * @flags clone_flags_t.flags csignal
 * @unknown-flags partly -- the RFC does not say whether unknown bits are rejected
 * @carries child_stack stack
 * @carries parent_tid parent_tid
 * @carries child_tid child_tid
 * @nullable pid_set
 * @pids pid_set.pids count=pid_set.num_pids order=outermost-first -- the kernel picks that level's pid
 *
 * @errno EFAULT fault flags pid_set -- flags, pid_set or pids unreadable
 * @errno EINVAL negative pid_set.num_pids
 * @errno EINVAL above-levels pid_set.num_pids
 * @errno EINVAL pid-range
 * @errno EPERM unprivileged -- pids given without CAP_SYS_ADMIN
 * @errno EBUSY pid-taken
 * @advisory SC-01 the RFC's reason for a new syscall: clone() has no free flag bits and no free argument
 */
long sys_clone_extended(clone_flags_t __user *flags, void __user *child_stack, int __user *unused,
			int __user *parent_tid, int __user *child_tid, struct pid_set __user *pid_set);
