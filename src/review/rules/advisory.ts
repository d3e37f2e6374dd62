/**
 * The advisory rules: nothing to compute, but when a declaration records what the design says
 * about them (semantics.advisory), the review shows it as a note so the reader sees it was
 * considered. Without a record the cell is n/a, not pass.
 */
import type { ProposalSemantics } from '../../proposal/types.js';
import type { Rule } from '../types.js';
import { findingFor } from './helpers.js';

type AdvisoryId = keyof NonNullable<ProposalSemantics['advisory']>;

const ADDING = 'Documentation/process/adding-syscalls.rst';

const ADVISORY: ReadonlyArray<{ id: AdvisoryId; statement: string; source: string }> = [
  { id: 'SC-01', statement: 'Consider an alternative (fd, sysfs/procfs, fcntl, prctl) before a syscall.', source: `${ADDING} (System Call Alternatives)` },
  { id: 'SC-11', statement: 'Kernel objects are referred to by file descriptors.', source: `${ADDING} (Other Considerations)` },
  { id: 'SC-12', statement: 'A syscall that returns a new fd takes a close-on-exec flag.', source: ADDING },
  { id: 'SC-13', statement: 'A path argument means an *at() form with AT_EMPTY_PATH.', source: ADDING },
  { id: 'SC-14', statement: 'File offsets are loff_t.', source: ADDING },
  { id: 'SC-15', statement: 'Use a specific capability and check access to other processes.', source: ADDING },
  { id: 'SC-26', statement: 'Complete the wiring: Kconfig, SYSCALL_DEFINEn, syscalls.h, tables, COND_SYSCALL.', source: ADDING },
  { id: 'SC-27', statement: 'Submit in a reviewable shape: split commits, selftest, man page, Cc linux-api.', source: ADDING },
  { id: 'SC-28', statement: 'Kernel code never calls sys_*(); share logic through ksys_*/kern_* helpers.', source: `${ADDING} (Do not call System Calls in the Kernel)` },
];

export const advisoryRules: Rule[] = ADVISORY.map(({ id, statement, source }) => ({
  id,
  statement,
  source,
  appliesTo: (ctx) => ctx.decl.semantics.advisory?.[id] !== undefined,
  check: (ctx) => [findingFor(ctx, id)({ severity: 'note', message: ctx.decl.semantics.advisory![id]! })],
}));
