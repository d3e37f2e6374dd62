import type { ProposalDecl } from '../../src/proposal/types.js';
import { PID_SET } from './clone_with_pids.js';
import type { Encoder } from '../../src/encode/types.js';
import { ImageBuilder } from '../../src/encode/builder.js';
import { addrOrNull, legacyWord, registerFlagBits, splitWords, val, wordBits } from '../../src/encode/flagwords.js';

export const declaration: ProposalDecl = {
  id: 'clone_extended_info',
  title: 'clone_extended(), option 2: low flags in a register, struct clone_info (RFC 2009)',
  summary: 'The legacy 32 flag bits stay in a register; new flag words and pids come through struct clone_info.',
  source: '[RFC][v4][PATCH 0/7] clone_with_pids(), option 2',
  structs: [
    PID_SET,
    {
      name: 'clone_info',
      fields: [
        { name: 'num_clone_high_words', type: 'int' },
        { name: 'flags_high', type: 'int *', doc: 'num_clone_high_words 32-bit words of flags above bit 31' },
        { name: 'pid_set', type: 'struct pid_set' },
      ],
    },
  ],
  rootStruct: 'clone_info',
  syscall: {
    name: 'clone_extended',
    args: [
      { name: 'flags_low', type: 'int' },
      { name: 'child_stack', type: 'void *' },
      { name: 'unused', type: 'void *' },
      { name: 'parent_tid', type: 'int *' },
      { name: 'child_tid', type: 'int *' },
      { name: 'clone_info', type: 'struct clone_info *', doc: 'NULL: a plain clone, no copy' },
    ],
    returns: 'pid_t',
  },
  semantics: {
    status: 'RFC',
    when: 'August 2009; not pursued',
    flags: [
      { where: 'register', name: 'flags_low', type: 'int', count: 1, reservedLowBits: 8, unknownBits: 'ignored' },
      { where: 'memory', name: 'clone_info.flags_high', type: 'int', count: 'num_clone_high_words', unknownBits: 'unspecified' },
    ],
    rejectsUnknownFlags: 'partly',
    rejectsUnknownFlagsNote: 'the RFC does not say whether unknown high bits are rejected; low bits keep clone\'s "ignored" behaviour',
    pids: { order: 'outermost-first', levelsOf: 'caller', zeroEntry: 'the kernel picks that level\'s pid', takenErrno: 'EBUSY' },
    copies: { empty: 0, full: 3, note: 'NULL clone_info: none; else clone_info, num_clone_high_words * 4 bytes, then the pids' },
    errors: [
      { errno: 'EFAULT', when: 'clone_info, flags_high or pids unreadable' },
      { errno: 'EINVAL', when: 'num_clone_high_words < 0 or too large; num_pids out of range; a pid out of range' },
      { errno: 'EPERM', when: 'pids given without CAP_SYS_ADMIN' },
      { errno: 'EBUSY', when: 'a chosen pid is in use' },
    ],
    arrays: [{ pointer: 'clone_info.flags_high', count: 'clone_info.num_clone_high_words', element: 'int' }, { pointer: 'pid_set.pids', count: 'pid_set.num_pids', element: 'pid_t' }],
    privilege: 'global CAP_SYS_ADMIN',
    advisory: { 'SC-01': 'the RFC\'s own doubt: "splitting the high and low clone-flags is awkward?"' },
  },
};

// ---- encoder: low flags in a register; clone_info only when there are high flags or pids ----

/**
 * The RFC leaves the bound on num_clone_high_words open ("too large"). We take 127 words, so
 * that 32 + 127 * 32 = 4096 flag bits, the same ceiling as clone_extended_flags' largest
 * CLONE_FLAGS_WORDS (64 x 64); native/decoder.c enforces the same number (EINVAL above it).
 */
export const MAX_CLONE_HIGH_WORDS = 127;

export const encoder: Encoder = {
  id: 'clone_extended_info',
  capacity(target, rp) {
    const low = registerFlagBits(rp, target);
    const high = wordBits(rp, target, rp.decl.semantics.flags[1]);
    return {
      flagBits: low + MAX_CLONE_HIGH_WORDS * high,
      lowByteIsExitSignal: true,
      flagLimit: `flags_low (${low} bits) + num_clone_high_words <= ${MAX_CLONE_HIGH_WORDS} words of ${high} bits`,
      carries: { stackSize: false, tls: false, cgroup: false },
    };
  },
  build(req, target, rp, pids) {
    const b = new ImageBuilder(rp, target);
    const low = registerFlagBits(rp, target);
    const bits = wordBits(rp, target, rp.decl.semantics.flags[1]);
    const high = req.flags >> BigInt(low);
    const nHigh = high === 0n ? 0 : Math.ceil(high.toString(2).length / bits);
    const needed = nHigh > 0 || pids.length > 0;
    if (needed) {
      const info = b.struct('clone_info').set('num_clone_high_words', nHigh).set('pid_set.num_pids', pids.length);
      b.read('clone_info', 0, info.size, 'struct clone_info');
      if (nHigh > 0) {
        info.point('flags_high', 'flags_high');
        b.words32('flags_high', 'int', splitWords(high, bits, nHigh).map(Number), false);
        b.read('flags_high', 0, nHigh * 4, 'num_clone_high_words * sizeof(int) of flags above bit 31');
      }
      if (pids.length > 0) {
        info.point('pid_set.pids', 'pids');
        b.words32('pids', 'pid_t', pids, true);
        b.read('pids', 0, pids.length * 4, 'pid_set.num_pids * sizeof(pid_t), outermost level first');
      }
    }
    // flags_low is an int; its 32 bits travel as an unsigned value (CLONE_IO is bit 31).
    b.call(
      rp.decl.syscall,
      { flags_low: val(legacyWord(req)), child_stack: val(req.stack), unused: val(0), parent_tid: val(req.parentTid), child_tid: val(req.childTid), clone_info: addrOrNull('clone_info', needed) },
      needed ? 'create the child' : 'a NULL clone_info: a plain clone, nothing copied',
    );
    return b.image();
  },
};
