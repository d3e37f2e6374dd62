/* SPDX-License-Identifier: MIT */
/*
 * clone_pidfd(): an example proposal written only as a header (no TypeScript). A clone3-like
 * call that returns a pidfd instead of a pid and carries up to eight chosen pids inline, in a
 * fixed __u32 set_tid[8] array: one copy for every request, at the price of a larger struct.
 */
#ifndef _UAPI_CLONE_PIDFD_H
#define _UAPI_CLONE_PIDFD_H

#include <linux/types.h>

#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_NEWCGROUP		0x02000000
#define CLONE_NEWUTS		0x04000000
#define CLONE_NEWIPC		0x08000000
#define CLONE_NEWUSER		0x10000000
#define CLONE_NEWPID		0x20000000
#define CLONE_NEWNET		0x40000000
#define CLONE_IO		0x80000000
#define CLONE_NEWTIME		0x00000080
#define CLONE_CLEAR_SIGHAND	(1ULL << 32)

#define PIDFD_SET_TID_MAX	8	/* pid namespace levels a caller can choose pids in */

struct clone_pidfd_args {
	__aligned_u64 flags;
	__aligned_u64 exit_signal;
	__aligned_u64 stack;		/* lowest address of the stack */
	__aligned_u64 stack_size;
	__aligned_u64 tls;
	__aligned_u64 child_tid;
	__aligned_u64 parent_tid;
	__u32 set_tid_size;		/* entries of set_tid in use */
	__u32 __reserved;		/* must be 0 */
	__u32 set_tid[PIDFD_SET_TID_MAX];	/* set_tid[0]: the child's own (innermost) level */
};

#define CLONE_PIDFD_ARGS_SIZE_VER0 96	/* sizeof first published struct */

/*@
 * @title clone_pidfd(): a pidfd-returning clone with set_tid inline (abi/headers/examples/clone_pidfd.h)
 * @summary clone3's size-versioned struct of __aligned_u64, returning a pidfd, with up to 8 chosen pids inline: one copy per call.
 * @source clonebench example proposal, written only as a header
 * @status RFC
 * @when an example for clonebench's header workflow
 * @privilege CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the user namespace owning each pid namespace
 *
 * @flags clone_pidfd_args.flags
 * @unknown-flags rejected -- every bit outside the CLONE_* flags defined here is EINVAL
 * @known-flags CLONE_*
 * @carries clone_pidfd_args.exit_signal exit_signal
 * @carries clone_pidfd_args.stack stack
 * @carries clone_pidfd_args.stack_size stack_size
 * @carries clone_pidfd_args.tls tls
 * @carries clone_pidfd_args.child_tid child_tid
 * @carries clone_pidfd_args.parent_tid parent_tid
 * @pids clone_pidfd_args.set_tid count=clone_pidfd_args.set_tid_size order=innermost-first levels=child taken=EEXIST
 * @zero clone_pidfd_args.__reserved
 * @size size struct=clone_pidfd_args rule=copy-struct-from-user versions=CLONE_PIDFD_ARGS_SIZE_VER0 max=PAGE_SIZE
 *
 * @errno E2BIG size-above-max
 * @errno EINVAL size-below-min
 * @errno E2BIG tail-not-zero
 * @errno EFAULT fault uargs
 * @errno EINVAL not-zero clone_pidfd_args.__reserved
 * @errno EINVAL above-max clone_pidfd_args.set_tid_size
 * @errno EINVAL exit-signal
 * @errno EINVAL unknown-flags
 * @errno EINVAL above-levels clone_pidfd_args.set_tid_size
 * @errno EINVAL pid-range
 * @errno EINVAL pid-not-1
 * @errno EPERM unprivileged
 * @errno EEXIST pid-taken
 *
 * @advisory SC-11 the child is returned as a pidfd, a file descriptor
 * @advisory SC-12 the pidfd is always close-on-exec, as clone3's CLONE_PIDFD
 * @advisory SC-28 would share kernel_clone() with fork, vfork, clone and clone3
 */
long sys_clone_pidfd(struct clone_pidfd_args __user *uargs, size_t size);

#endif /* _UAPI_CLONE_PIDFD_H */
