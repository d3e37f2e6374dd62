import type { ProposalDecl } from '../../src/proposal/types.js';
import type { Encoder } from '../../src/encode/types.js';
import { ImageBuilder } from '../../src/encode/builder.js';
import { addr, addrOrNull, legacyWord, registerFlagBits, val } from '../../src/encode/flagwords.js';

export const declaration: ProposalDecl = {
  id: 'eclone',
  title: 'eclone() (v12-v14, Nov 2009 - Mar 2010)',
  summary: 'Low flags in a register, a fixed 48-byte struct of u64 fields checked by exact size, and a separate pids array.',
  source: 'eclone v14 series (Sukadev Bhattiprolu), containers/linux-api lists; LWN 362371',
  structs: [
    {
      name: 'clone_args',
      doc: 'eclone\'s struct clone_args (unrelated to clone3\'s struct of the same name)',
      fields: [
        { name: 'clone_flags_high', type: '__u64', mustBeZero: true, doc: 'reserved for flags above bit 31; must be 0' },
        { name: 'child_stack', type: '__u64', doc: 'lowest address of the stack (where the stack size is passed)' },
        { name: 'child_stack_size', type: '__u64', doc: 'must be 0 where the stack pointer is passed instead' },
        { name: 'parent_tid_ptr', type: '__u64' },
        { name: 'child_tid_ptr', type: '__u64' },
        { name: 'nr_pids', type: '__u32' },
        { name: 'reserved0', type: '__u32', mustBeZero: true },
      ],
    },
  ],
  rootStruct: 'clone_args',
  syscall: {
    name: 'eclone',
    args: [
      { name: 'flags_low', type: '__u32' },
      { name: 'args', type: 'struct clone_args *' },
      { name: 'args_size', type: 'int', doc: 'must equal sizeof(struct clone_args) exactly' },
      { name: 'pids', type: 'pid_t *', doc: 'nr_pids entries, outermost first' },
    ],
    returns: 'pid_t',
    numbers: { i386: 338, x86_64: 300, s390x: 332, ppc32: 323, ppc64: 323, ppc64le: 323 },
  },
  semantics: {
    status: 'posted, never merged',
    when: 'v12 November 2009 to v14 March 2010',
    flags: [
      { where: 'register', name: 'flags_low', type: '__u32', count: 1, reservedLowBits: 8, unknownBits: 'ignored' },
      { where: 'memory', name: 'clone_args.clone_flags_high', type: '__u64', count: 1, unknownBits: 'rejected' },
    ],
    rejectsUnknownFlags: 'partly',
    rejectsUnknownFlagsNote: 'clone_flags_high must be 0 (EINVAL); unknown low bits are ignored as in clone',
    pids: { order: 'outermost-first', levelsOf: 'caller', zeroEntry: 'the kernel picks that level\'s pid', takenErrno: 'EBUSY' },
    sizeVersioning: { sizeArg: 'args_size', struct: 'clone_args', rule: 'exact', versions: [{ name: 'sizeof(struct clone_args)', size: 48 }] },
    copies: { empty: 1, full: 2, note: 'the 48-byte struct, then nr_pids * 4 bytes of pids' },
    errors: [
      { errno: 'EINVAL', when: 'args_size != sizeof(struct clone_args)' },
      { errno: 'EFAULT', when: 'args or pids unreadable' },
      { errno: 'EINVAL', when: 'clone_flags_high or reserved0 non-zero' },
      { errno: 'EINVAL', when: 'nr_pids greater than the caller\'s level + 1; a pid <= 0 or >= pid_max' },
      { errno: 'EPERM', when: 'pids given without CAP_SYS_ADMIN' },
      { errno: 'EBUSY', when: 'a chosen pid is in use' },
    ],
    arrays: [{ pointer: 'pids', count: 'clone_args.nr_pids', element: 'pid_t' }],
    privilege: 'global CAP_SYS_ADMIN',
    advisory: {
      'SC-01': 'same justification as clone_with_pids: no free clone flag bits, pids for checkpoint/restart',
      'SC-15': 'CAP_SYS_ADMIN for choosing pids',
    },
  },
};

// ---- encoder: flags_low in a register, the 48-byte struct always, pids apart ----

export const encoder: Encoder = {
  id: 'eclone',
  capacity: (target, rp) => ({
    flagBits: registerFlagBits(rp, target),
    lowByteIsExitSignal: true,
    flagLimit: 'flags_low is 32 bits and clone_flags_high must be 0 (v14)',
    carries: { stackSize: true, tls: false, cgroup: false },
  }),
  build(req, target, rp, pids, options) {
    const b = new ImageBuilder(rp, target);
    // options.structSize lets a test pass a size other than sizeof (EINVAL: exact size rule).
    const args = b.struct('clone_args', 'clone_args', options.structSize);
    args
      .set('clone_flags_high', 0)
      .set('child_stack', req.stack)
      .set('child_stack_size', req.stackSize)
      .set('parent_tid_ptr', req.parentTid)
      .set('child_tid_ptr', req.childTid)
      .set('nr_pids', pids.length)
      .set('reserved0', 0);
    b.read('clone_args', 0, args.size, 'struct clone_args (args_size bytes, which must be sizeof)');
    if (pids.length > 0) {
      b.words32('pids', 'pid_t', pids, true);
      b.read('pids', 0, pids.length * 4, 'nr_pids * sizeof(pid_t), outermost level first');
    }
    b.call(rp.decl.syscall, { flags_low: val(legacyWord(req)), args: addr('clone_args'), args_size: val(args.size), pids: addrOrNull('pids', pids.length > 0) }, 'create the child');
    return b.image();
  },
};
