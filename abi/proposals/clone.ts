import type { ProposalDecl } from '../../src/proposal/types.js';
import type { Encoder } from '../../src/encode/types.js';
import { ImageBuilder } from '../../src/encode/builder.js';
import { legacyWord, registerFlagBits, val } from '../../src/encode/flagwords.js';

export const declaration: ProposalDecl = {
  id: 'clone',
  title: 'legacy clone()',
  summary: 'The baseline: flags, stack, tid pointers and TLS in registers; no pids, no user memory copied in.',
  source: 'kernel/fork.c SYSCALL_DEFINE5(clone); clone(2)',
  structs: [],
  syscall: {
    name: 'clone',
    targetOrdered: true,
    args: [
      { name: 'flags', type: 'unsigned long', doc: 'clone flags; the low 8 bits (CSIGNAL) are the exit signal' },
      { name: 'stack', type: 'unsigned long', doc: 'new stack pointer, 0 to share the parent stack (copy-on-write)' },
      { name: 'parent_tid', type: 'int *' },
      { name: 'child_tid', type: 'int *' },
      { name: 'tls', type: 'unsigned long' },
    ],
    returns: 'pid_t',
    numbers: { x86_64: 56, i386: 120, aarch64: 220, riscv64: 220, s390x: 120 },
  },
  semantics: {
    status: 'merged',
    when: 'Linux 2.0 (flags grew until 2.6.x; every bit of the low 32 was in use by 2009)',
    flags: [{ where: 'register', name: 'flags', type: 'unsigned long', count: 1, reservedLowBits: 8, usedBitsPerWord: 32 }],
    rejectsUnknownFlags: false,
    rejectsUnknownFlagsNote: 'unknown bits are ignored, so no old bit can ever gain a new meaning (why CLONE_DETACHED is dead)',
    copies: { empty: 0, full: 0, note: 'arguments travel in registers only' },
    errors: [
      { errno: 'EINVAL', when: 'inconsistent flags (CLONE_SIGHAND without CLONE_VM, CLONE_THREAD without CLONE_SIGHAND, ...)' },
      { errno: 'EPERM', when: 'a CLONE_NEW* namespace flag without the capability' },
      { errno: 'EAGAIN', when: 'too many processes (RLIMIT_NPROC, pid_max)' },
    ],
    advisory: {
      'SC-01': 'process creation has no alternative to a syscall',
      'SC-28': 'kernel_clone(struct kernel_clone_args *) is the shared helper that fork, vfork, clone and clone3 call',
    },
  },
};

// ---- encoder: everything travels in registers, in this target's legacy clone order ----

export const encoder: Encoder = {
  id: 'clone',
  capacity: (target, rp) => ({
    flagBits: registerFlagBits(rp, target),
    lowByteIsExitSignal: true,
    flagLimit: 'flags: the kernel reads only the low 32 bits, whose low byte is the exit signal',
    carries: { stackSize: false, tls: true, cgroup: false },
  }),
  build(req, target, rp) {
    const b = new ImageBuilder(rp, target);
    b.call(
      rp.decl.syscall,
      { flags: val(legacyWord(req)), stack: val(req.stack), parent_tid: val(req.parentTid), child_tid: val(req.childTid), tls: val(req.tls) },
      'create the child; nothing is read from user memory',
    );
    return b.image();
  },
};
