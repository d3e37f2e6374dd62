import type { ProposalDecl } from '../../src/proposal/types.js';
import { PID_SET, writePidSet } from './clone_with_pids.js';
import type { Encoder } from '../../src/encode/types.js';
import { ImageBuilder } from '../../src/encode/builder.js';
import { addr, addrOrNull, splitWords, val, wordBits } from '../../src/encode/flagwords.js';

export const declaration: ProposalDecl = {
  id: 'clone_extended_flags',
  title: 'clone_extended(), option 1: sigset-style clone_flags_t (RFC 2009)',
  summary: 'Flags move into memory as unsigned long words tested with sigsetops-like helpers; pids through struct pid_set.',
  source: '[RFC][v4][PATCH 0/7] clone_with_pids(), option 1',
  constants: { CLONE_FLAGS_WORDS: 2 },
  parameters: { CLONE_FLAGS_WORDS: { doc: 'unsigned long words in clone_flags_t (the RFC leaves it open)', min: 1, max: 64 } },
  structs: [
    {
      name: 'clone_flags_t',
      doc: 'typedef struct { unsigned long flags[CLONE_FLAGS_WORDS]; } clone_flags_t; bit k is bit k % BITS_PER_LONG of word k / BITS_PER_LONG',
      fields: [{ name: 'flags', type: 'unsigned long[CLONE_FLAGS_WORDS]' }],
    },
    PID_SET,
  ],
  rootStruct: 'clone_flags_t',
  syscall: {
    name: 'clone_extended',
    args: [
      { name: 'flags', type: 'struct clone_flags_t *', doc: 'always copied in' },
      { name: 'child_stack', type: 'void *' },
      { name: 'unused', type: 'int *' },
      { name: 'parent_tid', type: 'int *' },
      { name: 'child_tid', type: 'int *' },
      { name: 'pid_set', type: 'struct pid_set *' },
    ],
    returns: 'pid_t',
  },
  semantics: {
    status: 'RFC',
    when: 'August 2009; not pursued',
    flags: [{ where: 'memory', name: 'clone_flags_t.flags', type: 'unsigned long', count: 'CLONE_FLAGS_WORDS', reservedLowBits: 8 }],
    rejectsUnknownFlags: 'partly',
    rejectsUnknownFlagsNote: 'the RFC does not say whether unknown bits are rejected',
    pids: { order: 'outermost-first', levelsOf: 'caller', zeroEntry: 'the kernel picks that level\'s pid', takenErrno: 'EBUSY' },
    copies: { empty: 1, full: 3, note: 'flags always copied (CLONE_FLAGS_WORDS * sizeof(long)); then pid_set header and pids' },
    errors: [
      { errno: 'EFAULT', when: 'flags, pid_set or pids unreadable' },
      { errno: 'EINVAL', when: 'num_pids < 0 or greater than the caller\'s level + 1; a pid <= 0 or >= pid_max' },
      { errno: 'EPERM', when: 'pids given without CAP_SYS_ADMIN' },
      { errno: 'EBUSY', when: 'a chosen pid is in use' },
    ],
    arrays: [{ pointer: 'pid_set.pids', count: 'pid_set.num_pids', element: 'pid_t' }],
    privilege: 'global CAP_SYS_ADMIN',
    advisory: {
      'SC-01': 'the RFC\'s reason for a new syscall: clone() has no free flag bits and no free argument',
    },
  },
};

// ---- encoder: clone_flags_t in memory (always copied), then pid_set as in clone_with_pids ----

export const encoder: Encoder = {
  id: 'clone_extended_flags',
  capacity(target, rp) {
    const fw = rp.decl.semantics.flags[0];
    const words = rp.constants.CLONE_FLAGS_WORDS;
    const bits = wordBits(rp, target, fw);
    return {
      flagBits: words * bits,
      lowByteIsExitSignal: true,
      flagLimit: `CLONE_FLAGS_WORDS (${words}) x BITS_PER_LONG (${bits})`,
      carries: { stackSize: false, tls: false, cgroup: false },
    };
  },
  build(req, target, rp, pids) {
    const b = new ImageBuilder(rp, target);
    const words = rp.constants.CLONE_FLAGS_WORDS;
    const bits = wordBits(rp, target, rp.decl.semantics.flags[0]);
    // Bit k lives in word k / BITS_PER_LONG, as sigset_t: the word size follows the ABI.
    const flags = b.struct('clone_flags_t');
    splitWords(req.flags | BigInt(req.exitSignal), bits, words).forEach((w, i) => flags.setElement('flags', i, w));
    b.read('clone_flags_t', 0, flags.size, 'the flags, always copied (CLONE_FLAGS_WORDS * sizeof(long))');
    if (pids.length > 0) writePidSet(b, pids);
    b.call(
      rp.decl.syscall,
      { flags: addr('clone_flags_t'), child_stack: val(req.stack), unused: val(0), parent_tid: val(req.parentTid), child_tid: val(req.childTid), pid_set: addrOrNull('pid_set', pids.length > 0) },
      'create the child',
    );
    return b.image();
  },
};
