import type { StructDecl } from '../../src/ctype/model.js';
import type { ProposalDecl } from '../../src/proposal/types.js';
import type { Encoder } from '../../src/encode/types.js';
import { ImageBuilder } from '../../src/encode/builder.js';
import { addrOrNull, legacyWord, registerFlagBits, val } from '../../src/encode/flagwords.js';

/** The RFC's pid set, shared by clone_with_pids and both clone_extended options. */
export const PID_SET: StructDecl = {
  name: 'pid_set',
  doc: 'v3 called it target_pid_set; v6 made pids a flexible array member to fix the size difference',
  fields: [
    { name: 'num_pids', type: 'int', doc: 'entries in pids; 0 means plain clone' },
    { name: 'pids', type: 'pid_t *', doc: 'pids[0] = outermost level chosen, last = caller\'s own level' },
  ],
};

/** The pid_set segments and the kernel's two reads of them (header, then the pids). */
export function writePidSet(b: ImageBuilder, pids: readonly number[]): void {
  const set = b.struct('pid_set').set('num_pids', pids.length).point('pids', 'pids');
  b.words32('pids', 'pid_t', pids, true);
  b.read('pid_set', 0, set.size, 'copy_target_pids(): the pid_set header');
  b.read('pids', 0, pids.length * 4, 'num_pids * sizeof(pid_t), outermost level first');
}

export const declaration: ProposalDecl = {
  id: 'clone_with_pids',
  title: 'clone_with_pids() (RFC v4, Aug 2009)',
  summary: 'Legacy clone plus a pointer to struct pid_set choosing the child pid in the caller\'s namespaces, outermost first.',
  source: '[RFC][v4][PATCH 0/7] clone_with_pids() system call, Sukadev Bhattiprolu, containers list, 2009-08-06',
  structs: [PID_SET],
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

// ---- encoder: legacy flags in a register, struct pid_set -> pid_t array (outermost first) ----

export const encoder: Encoder = {
  id: 'clone_with_pids',
  capacity: (target, rp) => ({
    flagBits: registerFlagBits(rp, target),
    lowByteIsExitSignal: true,
    flagLimit: 'flags: clone\'s register, only the low 32 bits are read',
    carries: { stackSize: false, tls: false, cgroup: false },
  }),
  build(req, target, rp, pids) {
    const b = new ImageBuilder(rp, target);
    if (pids.length > 0) writePidSet(b, pids);
    b.call(
      rp.decl.syscall,
      { flags: val(legacyWord(req)), child_stack: val(req.stack), parent_tid: val(req.parentTid), child_tid: val(req.childTid), pid_set: addrOrNull('pid_set', pids.length > 0) },
      pids.length ? 'create the child with chosen pids' : 'a NULL pid_set: a plain clone',
    );
    return b.image();
  },
};
