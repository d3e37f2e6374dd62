/** Clone flag names and values (include/uapi/linux/sched.h), for parsing and printing. */
export const CLONE_FLAGS: Readonly<Record<string, bigint>> = {
  CLONE_VM: 0x100n,
  CLONE_FS: 0x200n,
  CLONE_FILES: 0x400n,
  CLONE_SIGHAND: 0x800n,
  CLONE_PIDFD: 0x1000n,
  CLONE_PTRACE: 0x2000n,
  CLONE_VFORK: 0x4000n,
  CLONE_PARENT: 0x8000n,
  CLONE_THREAD: 0x10000n,
  CLONE_NEWNS: 0x20000n,
  CLONE_SYSVSEM: 0x40000n,
  CLONE_SETTLS: 0x80000n,
  CLONE_PARENT_SETTID: 0x100000n,
  CLONE_CHILD_CLEARTID: 0x200000n,
  CLONE_DETACHED: 0x400000n,
  CLONE_UNTRACED: 0x800000n,
  CLONE_CHILD_SETTID: 0x1000000n,
  CLONE_NEWCGROUP: 0x2000000n,
  CLONE_NEWUTS: 0x4000000n,
  CLONE_NEWIPC: 0x8000000n,
  CLONE_NEWUSER: 0x10000000n,
  CLONE_NEWPID: 0x20000000n,
  CLONE_NEWNET: 0x40000000n,
  CLONE_IO: 0x80000000n,
  CLONE_CLEAR_SIGHAND: 1n << 32n,
  CLONE_INTO_CGROUP: 1n << 33n,
};

/** The exit signal lives in the low 8 bits of legacy flags. */
export const CSIGNAL = 0xffn;
/** MAX_PID_NS_LEVEL: nesting depth below the root pid namespace. */
export const MAX_PID_NS_LEVEL = 32;
