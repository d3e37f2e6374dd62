/* SPDX-License-Identifier: MIT */
/*
 * ns_last_pid + clone: how CRIU chose pids before set_tid. Write N - 1 to
 * /proc/sys/kernel/ns_last_pid, then a legacy clone; racy, one namespace level per write.
 */

/*@
 * @id ns_last_pid_h
 * @title ns_last_pid + clone (CRIU before set_tid; abi/headers/ns_last_pid.h)
 * @summary Write N-1 to /proc/sys/kernel/ns_last_pid, then clone: racy, one namespace level per write, a helper inside each level.
 * @source kernel/pid_namespace.c pid_ns_ctl_handler; criu/cr-restore.c, criu/kerndat.c
 * @status userspace strategy
 * @when Linux 3.3 (ns_last_pid sysctl) until set_tid (5.5)
 * @numbers x86_64=56 i386=120 aarch64=220 riscv64=220 s390x=120
 * @privilege CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over the pid namespace
 * @legacy-clone-order
 *
 * @flags flags csignal bits=32
 * @unknown-flags ignored -- plain clone underneath
 * @carries stack stack
 * @carries parent_tid parent_tid
 * @carries child_tid child_tid
 * @carries tls tls
 * @pids via=ns_last_pid
 *
 * @errno EPERM -- writing ns_last_pid without CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over the pid namespace
 * @errno EINVAL -- a value outside [0, pid_max)
 * @errno none -- a race: another fork took the pid; the child sees getpid() != N
 * @advisory SC-01 the sysctl alternative to a syscall: works, but racy and one level at a time
 */
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, stack, int __user *, parent_tid,
		int __user *, child_tid, unsigned long, tls);
