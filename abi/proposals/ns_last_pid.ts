import type { ProposalDecl } from '../../src/proposal/types.js';

export const declaration: ProposalDecl = {
  id: 'ns_last_pid',
  title: 'ns_last_pid + clone (CRIU before set_tid)',
  summary: 'Write N-1 to /proc/sys/kernel/ns_last_pid, then clone: racy, one namespace level per write, a helper inside each level.',
  source: 'kernel/pid_namespace.c pid_ns_ctl_handler; criu/cr-restore.c, criu/kerndat.c',
  structs: [],
  syscall: {
    name: 'clone',
    targetOrdered: true,
    args: [
      { name: 'flags', type: 'unsigned long' },
      { name: 'stack', type: 'unsigned long' },
      { name: 'parent_tid', type: 'int *' },
      { name: 'child_tid', type: 'int *' },
      { name: 'tls', type: 'unsigned long' },
    ],
    returns: 'pid_t (the caller must check it got the pid it wanted)',
    numbers: { x86_64: 56, i386: 120, aarch64: 220, riscv64: 220, s390x: 120 },
  },
  semantics: {
    status: 'userspace strategy',
    when: 'Linux 3.3 (ns_last_pid sysctl) until set_tid (5.5)',
    flags: [{ where: 'register', name: 'flags', type: 'unsigned long', count: 1, reservedLowBits: 8, usedBitsPerWord: 32 }],
    rejectsUnknownFlags: false,
    rejectsUnknownFlagsNote: 'plain clone underneath',
    pids: { order: 'active-namespace-only', levelsOf: 'caller', maxPids: 1, takenErrno: 'EBUSY' },
    copies: { empty: 0, full: 1, note: 'write(2) of the decimal string N-1 (plus open and close of the sysctl file)' },
    errors: [
      { errno: 'EPERM', when: 'writing ns_last_pid without CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over the pid namespace' },
      { errno: 'EINVAL', when: 'a value outside [0, pid_max)' },
      { errno: '(none)', when: 'a race: another fork took the pid; the child sees getpid() != N' },
    ],
    privilege: 'CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over the pid namespace',
    advisory: {
      'SC-01': 'the sysctl alternative to a syscall: works, but racy and one level at a time',
    },
  },
};
