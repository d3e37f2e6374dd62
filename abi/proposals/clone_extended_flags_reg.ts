import type { ProposalDecl } from '../../src/proposal/types.js';
import { declaration as option1 } from './clone_extended_flags.js';
import { writePidSet } from './clone_with_pids.js';
import type { Encoder } from '../../src/encode/types.js';
import { ImageBuilder } from '../../src/encode/builder.js';
import { addrOrNull, splitWords, val, wordBits } from '../../src/encode/flagwords.js';

/**
 * The RFC's remark on option 1, made concrete: "we may be able to play some tricks with
 * 'clone_flags_t' to avoid the copy on 64-bit architectures till N_CLONE_FLAGS exceeds 64".
 * The caller still builds a whole clone_flags_t with sigsetops-like helpers (option 1's structs
 * and bit mapping, unchanged); word 0 travels by value in the first register, and the struct's
 * address goes in option 1's unused third argument only when a bit beyond word 0 is set. The
 * kernel then copies words 1.. and never word 0. Word 0 is an unsigned long like every word of
 * clone_flags_t, so it holds 64 flag bits on 64-bit ABIs and 32 on 32-bit ones, where every one
 * of those bits is already taken by clone()'s flags and exit signal: the review derives what
 * that means there (src/review/register-word.ts).
 */
export const declaration: ProposalDecl = {
  ...option1,
  id: 'clone_extended_flags_reg',
  title: "clone_extended(), option 1 with the RFC's register trick: clone_flags_t word 0 by value",
  summary: 'Option 1 with word 0 of clone_flags_t passed in a register; the words beyond it are copied only when one of their bits is set.',
  source: `${option1.source}: "we may be able to play some tricks with clone_flags_t to avoid the copy on 64-bit architectures till N_CLONE_FLAGS exceeds 64"`,
  syscall: {
    name: 'clone_extended',
    args: [
      { name: 'flags_word0', type: 'unsigned long', doc: 'clone_flags_t.flags[0] by value: flag bits 0..BITS_PER_LONG-1, the low byte the exit signal' },
      { name: 'child_stack', type: 'void *' },
      { name: 'flags', type: 'struct clone_flags_t *', doc: "option 1's unused argument: the caller's clone_flags_t when a bit beyond word 0 is set, else NULL; only words 1.. are read" },
      { name: 'parent_tid', type: 'int *' },
      { name: 'child_tid', type: 'int *' },
      { name: 'pid_set', type: 'struct pid_set *' },
    ],
    returns: 'pid_t',
  },
  semantics: {
    ...option1.semantics,
    flags: [
      { where: 'register', name: 'flags_word0', type: 'unsigned long', count: 1, reservedLowBits: 8 },
      { where: 'memory', name: 'clone_flags_t.flags', type: 'unsigned long', count: 'CLONE_FLAGS_WORDS', firstWord: 1 },
    ],
    copies: {
      empty: 0,
      full: 3,
      note: 'flags up to bit BITS_PER_LONG - 1 travel in a register (no copy); beyond, one copy of words 1.. ((CLONE_FLAGS_WORDS - 1) * sizeof(long)); then pid_set header and pids',
    },
    errors: [
      { errno: 'EINVAL', when: 'flags non-NULL while CLONE_FLAGS_WORDS is 1 (no word beyond the register one)' },
      ...option1.semantics.errors.map((e) => (e.errno === 'EFAULT' ? { ...e, when: 'flags words 1.., pid_set or pids unreadable' } : e)),
    ],
  },
};

// ---- encoder: word 0 in a register; clone_flags_t only when a bit beyond it is set ----

export const encoder: Encoder = {
  id: 'clone_extended_flags_reg',
  capacity(target, rp) {
    const words = rp.constants.CLONE_FLAGS_WORDS;
    const bits = wordBits(rp, target, rp.decl.semantics.flags[1]);
    return {
      flagBits: words * bits,
      lowByteIsExitSignal: true,
      flagLimit: `CLONE_FLAGS_WORDS (${words}) x BITS_PER_LONG (${bits}), word 0 in a register`,
      carries: { stackSize: false, tls: false, cgroup: false },
    };
  },
  build(req, target, rp, pids) {
    const b = new ImageBuilder(rp, target);
    const words = rp.constants.CLONE_FLAGS_WORDS;
    // The register word and the memory words are both unsigned long: one sigset-style mapping.
    const bits = wordBits(rp, target, rp.decl.semantics.flags[1]);
    const all = splitWords(req.flags | BigInt(req.exitSignal), bits, words);
    const beyondWord0 = req.flags >> BigInt(bits) !== 0n;
    if (beyondWord0) {
      const set = b.struct('clone_flags_t');
      all.forEach((w, i) => set.setElement('flags', i, w));
      const wordBytes = bits / 8;
      b.read('clone_flags_t', wordBytes, set.size - wordBytes, 'clone_flags_t words 1.. ((CLONE_FLAGS_WORDS - 1) * sizeof(long)); word 0 came in a register');
    }
    if (pids.length > 0) writePidSet(b, pids);
    b.call(
      rp.decl.syscall,
      {
        flags_word0: val(all[0]),
        child_stack: val(req.stack),
        flags: addrOrNull('clone_flags_t', beyondWord0),
        parent_tid: val(req.parentTid),
        child_tid: val(req.childTid),
        pid_set: addrOrNull('pid_set', pids.length > 0),
      },
      beyondWord0 ? 'create the child' : pids.length > 0 ? 'create the child; the flags fit the register word, no flag copy' : 'create the child; nothing is copied',
    );
    return b.image();
  },
};
