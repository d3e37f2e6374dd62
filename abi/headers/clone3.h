/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * clone3(), merged in 5.3 (set_tid 5.5, cgroup 5.7): the flags and struct clone_args as in
 * include/uapi/linux/sched.h, and the prototype of kernel/fork.c.
 */
#ifndef _CLONEBENCH_CLONE3_H
#define _CLONEBENCH_CLONE3_H

#include <linux/types.h>

#define CSIGNAL		0x000000ff	/* signal mask to be sent at exit */
#define CLONE_VM	0x00000100	/* set if VM shared between processes */
#define CLONE_FS	0x00000200	/* set if fs info shared between processes */
#define CLONE_FILES	0x00000400	/* set if open files shared between processes */
#define CLONE_SIGHAND	0x00000800	/* set if signal handlers and blocked signals shared */
#define CLONE_PIDFD	0x00001000	/* set if a pidfd should be placed in parent */
#define CLONE_PTRACE	0x00002000	/* set if we want to let tracing continue on the child too */
#define CLONE_VFORK	0x00004000	/* set if the parent wants the child to wake it up on mm_release */
#define CLONE_PARENT	0x00008000	/* set if we want to have the same parent as the cloner */
#define CLONE_THREAD	0x00010000	/* Same thread group? */
#define CLONE_NEWNS	0x00020000	/* New mount namespace group */
#define CLONE_SYSVSEM	0x00040000	/* share system V SEM_UNDO semantics */
#define CLONE_SETTLS	0x00080000	/* create a new TLS for the child */
#define CLONE_PARENT_SETTID	0x00100000	/* set the TID in the parent */
#define CLONE_CHILD_CLEARTID	0x00200000	/* clear the TID in the child */
#define CLONE_DETACHED		0x00400000	/* Unused, ignored */
#define CLONE_UNTRACED		0x00800000	/* set if the tracing process can't force CLONE_PTRACE on this clone */
#define CLONE_CHILD_SETTID	0x01000000	/* set the TID in the child */
#define CLONE_NEWCGROUP		0x02000000	/* New cgroup namespace */
#define CLONE_NEWUTS		0x04000000	/* New utsname namespace */
#define CLONE_NEWIPC		0x08000000	/* New ipc namespace */
#define CLONE_NEWUSER		0x10000000	/* New user namespace */
#define CLONE_NEWPID		0x20000000	/* New pid namespace */
#define CLONE_NEWNET		0x40000000	/* New network namespace */
#define CLONE_IO		0x80000000	/* Clone io context */
#define CLONE_CLEAR_SIGHAND 0x100000000ULL /* Clear any signal handler and reset to SIG_DFL. */
#define CLONE_INTO_CGROUP 0x200000000ULL /* Clone into a specific cgroup given the right permissions. */
#define CLONE_NEWTIME	0x00000080	/* New time namespace */

struct clone_args {
	__aligned_u64 flags;
	__aligned_u64 pidfd;
	__aligned_u64 child_tid;
	__aligned_u64 parent_tid;
	__aligned_u64 exit_signal;
	__aligned_u64 stack;
	__aligned_u64 stack_size;
	__aligned_u64 tls;
	__aligned_u64 set_tid;
	__aligned_u64 set_tid_size;
	__aligned_u64 cgroup;
};

#define CLONE_ARGS_SIZE_VER0 64 /* sizeof first published struct (one bit, so -CLONE_ARGS_SIZE_VER0 below) */
#define CLONE_ARGS_SIZE_VER1 80 /* sizeof second published struct */
#define CLONE_ARGS_SIZE_VER2 88 /* sizeof third published struct */

/*@
 * @id clone3_h
 * @title clone3() (merged in 5.3; set_tid in 5.5; cgroup in 5.7; abi/headers/clone3.h)
 * @summary One size-versioned struct of __aligned_u64 fields, identical on every ABI; set_tid lists pids innermost first.
 * @source include/uapi/linux/sched.h struct clone_args; kernel/fork.c copy_clone_args_from_user, clone3_args_valid
 * @status merged
 * @when Linux 5.3 (2019); set_tid 5.5; CLONE_INTO_CGROUP 5.7
 * @numbers x86_64=435 i386=435 x32=435 aarch64=435 arm=435 riscv64=435 s390x=435 ppc32=435 ppc64=435 ppc64le=435 m68k=435 mips-o32=4435 mips-n64=5435 sparc64=435
 * @privilege CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (5.9+) in the user namespace owning each pid namespace
 *
 * @flags clone_args.flags
 * @unknown-flags rejected -- clone3_args_valid() rejects bits outside CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP, and the CSIGNAL and CLONE_DETACHED bits
 * @known-flags CLONE_* -CLONE_DETACHED -CLONE_ARGS_SIZE_VER0
 * @carries clone_args.exit_signal exit_signal
 * @carries clone_args.child_tid child_tid
 * @carries clone_args.parent_tid parent_tid
 * @carries clone_args.stack stack
 * @carries clone_args.stack_size stack_size
 * @carries clone_args.tls tls
 * @carries clone_args.cgroup cgroup flag=CLONE_INTO_CGROUP
 * @pids clone_args.set_tid count=clone_args.set_tid_size order=innermost-first levels=child max=32 taken=EEXIST element=pid_t
 * @size size struct=clone_args rule=copy-struct-from-user versions=CLONE_ARGS_SIZE_VER0,CLONE_ARGS_SIZE_VER1,CLONE_ARGS_SIZE_VER2 max=PAGE_SIZE
 * @since clone_args.set_tid CLONE_ARGS_SIZE_VER1 -- no pid chosen
 * @since clone_args.set_tid_size CLONE_ARGS_SIZE_VER1 -- no pid chosen
 * @since clone_args.cgroup CLONE_ARGS_SIZE_VER2 -- the parent's cgroup (only read with CLONE_INTO_CGROUP)
 *
 * @errno E2BIG size-above-max
 * @errno EINVAL size-below-min
 * @errno E2BIG tail-not-zero
 * @errno EFAULT fault uargs -- the struct or its tail unreadable
 * @errno EINVAL above-max clone_args.set_tid_size
 * @errno EINVAL null-mismatch clone_args.set_tid_size
 * @errno EINVAL exit-signal
 * @errno EINVAL flag-member clone_args.cgroup
 * @errno EFAULT fault clone_args.set_tid -- set_tid unreadable (copied before any flag check)
 * @errno EINVAL unknown-flags -- unknown flag bits, CLONE_DETACHED or CSIGNAL bits in flags
 * @errno EINVAL flags-exclusive CLONE_SIGHAND CLONE_CLEAR_SIGHAND
 * @errno EINVAL flag-forbids CLONE_THREAD clone_args.exit_signal
 * @errno EINVAL flag-forbids CLONE_PARENT clone_args.exit_signal
 * @errno EINVAL stack-pair
 * @errno EINVAL above-levels clone_args.set_tid_size
 * @errno EINVAL pid-range
 * @errno EINVAL pid-not-1
 * @errno EPERM unprivileged -- no CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (5.9+) over a namespace whose pid is chosen
 * @errno EEXIST pid-taken
 *
 * @advisory SC-01 process creation needs a syscall; clone3 replaced the flag-bit-starved clone
 * @advisory SC-11 CLONE_PIDFD returns a pidfd, a file descriptor, rather than a new kind of handle
 * @advisory SC-12 the pidfd is always close-on-exec (no flag needed; O_CLOEXEC is implied)
 * @advisory SC-15 CAP_CHECKPOINT_RESTORE (5.9) narrowed set_tid's CAP_SYS_ADMIN requirement
 * @advisory SC-26 wired on every architecture as syscall 435 (asm-generic), with a selftest in tools/testing/selftests/clone3/
 * @advisory SC-28 shares kernel_clone() with fork, vfork and clone
 */
SYSCALL_DEFINE2(clone3, struct clone_args __user *, uargs, size_t, size);

#endif /* _CLONEBENCH_CLONE3_H */
