import type { ProposalDecl } from '../../src/proposal/types.js';

export const declaration: ProposalDecl = {
  id: 'clone_extended_info',
  title: 'clone_extended(), option 2: low flags in a register, struct clone_info (RFC 2009)',
  summary: 'The legacy 32 flag bits stay in a register; new flag words and pids come through struct clone_info.',
  source: '[RFC][v4][PATCH 0/7] clone_with_pids(), option 2',
  structs: [
    {
      name: 'pid_set',
      fields: [
        { name: 'num_pids', type: 'int' },
        { name: 'pids', type: 'pid_t *', doc: 'outermost first, as in clone_with_pids' },
      ],
    },
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
