/* SPDX-License-Identifier: MIT */
/*
 * clone_with_pids(), RFC v4 (Sukadev Bhattiprolu, containers list, 2009-08-06): legacy clone
 * plus a pointer to a pid set that chooses the child's pid in the caller's namespaces.
 */
#include <linux/types.h>

struct pid_set {
	int num_pids;	/* entries in pids; 0 means plain clone */
	pid_t *pids;	/* pids[0] = outermost level chosen, last = the caller's own level */
};

/*@
 * @id clone_with_pids_h
 * @title clone_with_pids() (RFC v4, Aug 2009; abi/headers/clone_with_pids.h)
 * @summary Legacy clone plus a pointer to struct pid_set choosing the child pid in the caller's namespaces, outermost first.
 * @source [RFC][v4][PATCH 0/7] clone_with_pids() system call, Sukadev Bhattiprolu, containers list, 2009-08-06
 * @status RFC
 * @when August 2009 (v4); never merged
 * @numbers i386=337 ppc32=325
 * @privilege global CAP_SYS_ADMIN
 *
 * @flags flags csignal bits=32
 * @unknown-flags ignored -- inherits clone's handling: unknown bits are ignored
 * @carries child_stack stack
 * @carries parent_tid parent_tid
 * @carries child_tid child_tid
 * @nullable pid_set
 * @pids pid_set.pids count=pid_set.num_pids order=outermost-first levels=caller taken=EBUSY -- the kernel picks that level's pid
 *
 * @errno EFAULT fault pid_set -- pid_set or pids unreadable
 * @errno EINVAL negative pid_set.num_pids -- num_pids < 0 (up to v5)
 * @errno EINVAL above-levels pid_set.num_pids
 * @errno EINVAL pid-range -- a pid <= 0 or >= pid_max (0 means: kernel picks)
 * @errno EPERM unprivileged -- pids given without global CAP_SYS_ADMIN (checked after the copy)
 * @errno EBUSY pid-taken
 * @advisory SC-01 the RFC asks whether one more copy_from_user matters to clone(); no non-syscall alternative was weighed
 * @advisory SC-15 pids need CAP_SYS_ADMIN; a narrower capability (CAP_CHECKPOINT_RESTORE) came only in 5.9
 */
long sys_clone_with_pids(unsigned long flags, void __user *child_stack, int __user *parent_tid,
			 int __user *child_tid, struct pid_set __user *pid_set);
