import type { ProposalDecl } from '../../src/proposal/types.js';

export const declaration: ProposalDecl = {
  id: 'clone_with_pids',
  title: 'clone_with_pids() (RFC v4, Aug 2009)',
  summary: 'Legacy clone plus a pointer to struct pid_set choosing the child pid in the caller\'s namespaces, outermost first.',
  source: '[RFC][v4][PATCH 0/7] clone_with_pids() system call, Sukadev Bhattiprolu, containers list, 2009-08-06',
  structs: [
    {
      name: 'pid_set',
      doc: 'v3 called it target_pid_set; v6 made pids a flexible array member to fix the size difference',
      fields: [
        { name: 'num_pids', type: 'int', doc: 'entries in pids; 0 means plain clone' },
        { name: 'pids', type: 'pid_t *', doc: 'pids[0] = outermost level chosen, last = caller\'s own level' },
      ],
    },
  ],
  rootStruct: 'pid_set',
  syscall: {
    name: 'clone_with_pids',
    args: [
      { name: 'flags', type: 'unsigned long' },
      { name: 'child_stack', type: 'void *' },
      { name: 'parent_tid', type: 'int *' },
      { name: 'child_tid', type: 'int *' },
      { name: 'pid_set', type: 'struct pid_set *', doc: 'NULL for a plain clone; on i386 it travels in ebp' },
    ],
    returns: 'pid_t',
    numbers: { i386: 337, ppc32: 325 },
  },
  semantics: {
    status: 'RFC',
    when: 'August 2009 (v4); never merged',
    flags: [{ where: 'register', name: 'flags', type: 'unsigned long', count: 1, reservedLowBits: 8, usedBitsPerWord: 32 }],
    rejectsUnknownFlags: false,
    rejectsUnknownFlagsNote: 'inherits clone\'s handling: unknown bits are ignored',
    pids: { order: 'outermost-first', levelsOf: 'caller', zeroEntry: 'the kernel picks that level\'s pid', takenErrno: 'EBUSY' },
    copies: { empty: 0, full: 2, note: 'a NULL pid_set copies nothing; otherwise the header, then num_pids * 4 bytes' },
    errors: [
      { errno: 'EFAULT', when: 'pid_set or pids unreadable' },
      { errno: 'EINVAL', when: 'num_pids < 0 (up to v5)' },
      { errno: 'EINVAL', when: 'num_pids greater than the caller\'s level + 1' },
      { errno: 'EINVAL', when: 'a pid <= 0 or >= pid_max (0 means: kernel picks)' },
      { errno: 'EPERM', when: 'pids given without global CAP_SYS_ADMIN (checked after the copy)' },
      { errno: 'EBUSY', when: 'a chosen pid is in use' },
    ],
    arrays: [{ pointer: 'pid_set.pids', count: 'pid_set.num_pids', element: 'pid_t' }],
    privilege: 'global CAP_SYS_ADMIN',
    advisory: {
      'SC-01': 'the RFC asks whether one more copy_from_user matters to clone(); no non-syscall alternative was weighed',
      'SC-15': 'pids need CAP_SYS_ADMIN; a narrower capability (CAP_CHECKPOINT_RESTORE) came only in 5.9',
    },
  },
};
