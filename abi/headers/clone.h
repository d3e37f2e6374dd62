/* SPDX-License-Identifier: MIT */
/*
 * Legacy clone(): everything travels in registers, nothing is copied from user memory.
 * kernel/fork.c SYSCALL_DEFINE5(clone); the argument order differs between architectures
 * (CLONE_BACKWARDS, CLONE_BACKWARDS2), which @legacy-clone-order asks each ABI for.
 */

/*@
 * @id clone_h
 * @title legacy clone() (abi/headers/clone.h)
 * @summary The baseline: flags, stack, tid pointers and TLS in registers; no pids, no user memory copied in.
 * @source kernel/fork.c SYSCALL_DEFINE5(clone); clone(2)
 * @status merged
 * @when Linux 2.0 (flags grew until 2.6.x; every bit of the low 32 was in use by 2009)
 * @numbers x86_64=56 i386=120 aarch64=220 riscv64=220 s390x=120
 * @legacy-clone-order
 *
 * @flags flags csignal bits=32
 * @unknown-flags ignored -- unknown bits are ignored, so no old bit can ever gain a new meaning (why CLONE_DETACHED is dead)
 * @carries stack stack
 * @carries parent_tid parent_tid
 * @carries child_tid child_tid
 * @carries tls tls
 *
 * @errno EINVAL -- inconsistent flags (CLONE_SIGHAND without CLONE_VM, CLONE_THREAD without CLONE_SIGHAND, ...)
 * @errno EPERM -- a CLONE_NEW* namespace flag without the capability
 * @errno EAGAIN -- too many processes (RLIMIT_NPROC, pid_max)
 * @advisory SC-01 process creation has no alternative to a syscall
 * @advisory SC-28 kernel_clone(struct kernel_clone_args *) is the shared helper that fork, vfork, clone and clone3 call
 */
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, stack, int __user *, parent_tid,
		int __user *, child_tid, unsigned long, tls);
