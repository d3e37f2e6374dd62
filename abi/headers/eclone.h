/* SPDX-License-Identifier: MIT */
/*
 * eclone(), v12-v14 of the clone_with_pids series (Nov 2009 - Mar 2010; never merged): low flags
 * in a register, a fixed 48-byte struct of u64 fields checked by exact size, a separate pid array.
 */
#include <linux/types.h>

/* eclone's struct clone_args (unrelated to clone3's struct of the same name) */
struct clone_args {
	__u64 clone_flags_high;		/* reserved for flags above bit 31; must be 0 */
	__u64 child_stack;		/* lowest address of the stack */
	__u64 child_stack_size;
	__u64 parent_tid_ptr;
	__u64 child_tid_ptr;
	__u32 nr_pids;
	__u32 reserved0;
};

/*@
 * @id eclone_h
 * @title eclone() (v12-v14, Nov 2009 - Mar 2010; abi/headers/eclone.h)
 * @summary Low flags in a register, a fixed 48-byte struct of u64 fields checked by exact size, and a separate pids array.
 * @source eclone v14 series (Sukadev Bhattiprolu), containers/linux-api lists; LWN 362371
 * @status posted, never merged
 * @when v12 November 2009 to v14 March 2010
 * @numbers i386=338 x86_64=300 s390x=332 ppc32=323 ppc64=323 ppc64le=323
 * @privilege global CAP_SYS_ADMIN
 *
 * @flags flags_low csignal unknown=ignored
 * @flags clone_args.clone_flags_high unknown=rejected
 * @zero clone_args.clone_flags_high clone_args.reserved0
 * @unknown-flags partly -- clone_flags_high must be 0 (EINVAL); unknown low bits are ignored as in clone
 * @carries clone_args.child_stack stack
 * @carries clone_args.child_stack_size stack_size
 * @carries clone_args.parent_tid_ptr parent_tid
 * @carries clone_args.child_tid_ptr child_tid
 * @pids pids count=clone_args.nr_pids order=outermost-first -- the kernel picks that level's pid
 * @size args_size struct=clone_args rule=exact
 *
 * @errno EINVAL size-not-exact
 * @errno EFAULT fault args -- args or pids unreadable
 * @errno EINVAL not-zero clone_args.clone_flags_high clone_args.reserved0
 * @errno EINVAL above-levels clone_args.nr_pids
 * @errno EINVAL pid-range
 * @errno EPERM unprivileged -- pids given without CAP_SYS_ADMIN
 * @errno EBUSY pid-taken
 * @advisory SC-01 same justification as clone_with_pids: no free clone flag bits, pids for checkpoint/restart
 * @advisory SC-15 CAP_SYS_ADMIN for choosing pids
 */
long sys_eclone(__u32 flags_low, struct clone_args __user *args, int args_size, pid_t __user *pids);
