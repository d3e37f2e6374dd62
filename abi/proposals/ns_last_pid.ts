import type { ProposalDecl } from '../../src/proposal/types.js';
import { declaration as legacyClone } from './clone.js';
import type { Encoder } from '../../src/encode/types.js';
import { ImageBuilder } from '../../src/encode/builder.js';
import { addr, legacyWord, registerFlagBits, val } from '../../src/encode/flagwords.js';
import type { SyscallDecl } from '../../src/proposal/types.js';

export const declaration: ProposalDecl = {
  id: 'ns_last_pid',
  title: 'ns_last_pid + clone (CRIU before set_tid)',
  summary: 'Write N-1 to /proc/sys/kernel/ns_last_pid, then clone: racy, one namespace level per write, a helper inside each level.',
  source: 'kernel/pid_namespace.c pid_ns_ctl_handler; criu/cr-restore.c, criu/kerndat.c',
  structs: [],
  // Plain legacy clone underneath: the same signature, registers and flags.
  syscall: { ...legacyClone.syscall, returns: 'pid_t (the caller must check it got the pid it wanted)' },
  semantics: {
    status: 'userspace strategy',
    when: 'Linux 3.3 (ns_last_pid sysctl) until set_tid (5.5)',
    flags: legacyClone.semantics.flags,
    rejectsUnknownFlags: false,
    rejectsUnknownFlagsNote: 'plain clone underneath',
    pids: { order: 'active-namespace-only', levelsOf: 'caller', maxPids: 1, takenErrno: 'none' },
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

// ---- encoder: write(N - 1) to the sysctl, then a legacy clone ----

const write: SyscallDecl = {
  name: 'write',
  args: [
    { name: 'fd', type: 'int' },
    { name: 'buf', type: 'char *' },
    { name: 'count', type: 'size_t' },
  ],
  returns: 'ssize_t',
};

export const encoder: Encoder = {
  id: 'ns_last_pid',
  capacity: (target, rp) => ({
    flagBits: registerFlagBits(rp, target),
    lowByteIsExitSignal: true,
    flagLimit: 'flags: plain clone underneath, the kernel reads only the low 32 bits',
    carries: { stackSize: false, tls: true, cgroup: false },
  }),
  build(req, target, rp, pids) {
    const b = new ImageBuilder(rp, target);
    if (pids.length === 1) {
      // The next automatic pid search starts after the value written, so N - 1 gives N.
      const text = new TextEncoder().encode(String(pids[0] - 1));
      b.raw('ns_last_pid', `char[${text.length}]`, text);
      b.call(write, { fd: { kind: 'symbol', name: 'fd of /proc/sys/kernel/ns_last_pid' }, buf: addr('ns_last_pid'), count: val(text.length) }, `ns_last_pid = ${pids[0] - 1} in the caller's active pid namespace`);
      b.read('ns_last_pid', 0, text.length, 'write(2): the sysctl handler copies the decimal string');
    }
    b.call(
      rp.decl.syscall,
      { flags: val(legacyWord(req)), stack: val(req.stack), parent_tid: val(req.parentTid), child_tid: val(req.childTid), tls: val(req.tls) },
      pids.length ? `create the child; it must check getpid() == ${pids[0]} (racy)` : 'create the child',
    );
    return b.image();
  },
};
