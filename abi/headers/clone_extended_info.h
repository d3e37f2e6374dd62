/* SPDX-License-Identifier: MIT */
/*
 * clone_extended(), option 2 of the 2009 RFC: the legacy 32 flag bits stay in a register; new
 * flag words and pids come through struct clone_info, NULL for a plain clone.
 */
#include <linux/types.h>

struct pid_set {
	int num_pids;
	pid_t *pids;
};

struct clone_info {
	int num_clone_high_words;
	int *flags_high;		/* num_clone_high_words 32-bit words of flags above bit 31; the RFC
					 * leaves their bound open: 127 words make 4096 flag bits */
	struct pid_set pid_set;
};

/*@
 * @id clone_extended_info_h
 * @title clone_extended(), option 2: low flags in a register, struct clone_info (RFC 2009; abi/headers/clone_extended_info.h)
 * @summary The legacy 32 flag bits stay in a register; new flag words and pids come through struct clone_info.
 * @source [RFC][v4][PATCH 0/7] clone_with_pids(), option 2
 * @status RFC
 * @when August 2009; not pursued
 * @privilege global CAP_SYS_ADMIN
 *
 * @flags flags_low csignal unknown=ignored
 * @flags clone_info.flags_high count=clone_info.num_clone_high_words max=127 unknown=unspecified
 * @unknown-flags partly -- the RFC does not say whether unknown high bits are rejected; low bits keep clone's "ignored" behaviour
 * @carries child_stack stack
 * @carries parent_tid parent_tid
 * @carries child_tid child_tid
 * @nullable clone_info
 * @pids pid_set.pids count=pid_set.num_pids order=outermost-first -- the kernel picks that level's pid
 *
 * @errno EFAULT fault clone_info -- clone_info, flags_high or pids unreadable
 * @errno EINVAL negative clone_info.num_clone_high_words -- num_clone_high_words < 0 or too large
 * @errno EINVAL above-max clone_info.num_clone_high_words
 * @errno EINVAL above-levels pid_set.num_pids -- num_pids out of range
 * @errno EINVAL pid-range
 * @errno EPERM unprivileged -- pids given without CAP_SYS_ADMIN
 * @errno EBUSY pid-taken
 * @advisory SC-01 the RFC's own doubt: "splitting the high and low clone-flags is awkward?"
 */
long sys_clone_extended(int flags_low, void __user *child_stack, void __user *unused,
			int __user *parent_tid, int __user *child_tid,
			struct clone_info __user *clone_info);
