import type { SuiteDecl, VariantDecl } from '../src/measure/types.js';

/** Nesting depths beyond 1 for set_tid (choosing a pid at every level down to the innermost). */
export const PIDS_DEEPER_LEVELS = [2, 4, 8] as const;

const plainId = (levels: number) => (levels === 1 ? 'pids/clone3-plain' : `pids/clone3-plain-d${levels}`);
const plain = (levels: number): VariantDecl => ({
  id: plainId(levels),
  description: `fork-like clone3 (SIGCHLD, no stack) + wait4 by the init of a pid namespace ${levels} level(s) below the run's, no pid chosen`,
  spec: { kind: 'pids', method: 'plain', levels },
});
const setTid = (levels: number): VariantDecl => ({
  id: `pids/clone3-set_tid-d${levels}`,
  description: `the same with set_tid choosing the child's pid at all ${levels} level(s) (set_tid_size ${levels}, innermost first), cycling through free pids`,
  spec: { kind: 'pids', method: 'set_tid', levels },
  // Interleaved with plain clone3 at the same depth, in the same init.
  baseline: plainId(levels),
});

const variants: VariantDecl[] = [
  plain(1),
  setTid(1),
  {
    id: 'pids/ns_last_pid',
    description: 'pwrite N-1 to /proc/sys/kernel/ns_last_pid (fd opened once), then the plain clone3; counts children that did not get N (races)',
    spec: { kind: 'pids', method: 'ns_last_pid', levels: 1 },
    baseline: plainId(1),
  },
  {
    id: 'pids/ns_last_pid-open',
    description: "the same with open/write/close of ns_last_pid each time, as CRIU's fork_with_pid (without its flock)",
    spec: { kind: 'pids', method: 'ns_last_pid-open', levels: 1 },
    baseline: plainId(1),
  },
  ...PIDS_DEEPER_LEVELS.flatMap((levels) => [plain(levels), setTid(levels)]),
];

/** Creating processes with chosen pids, as checkpoint/restart (CRIU) does on restore: the loops
 * run in build/pidns, as pid 1 of namespaces of the run's own (through a user namespace when
 * the run lacks CAP_SYS_ADMIN). A create costs a hundred to a few hundred microseconds, so few,
 * longer batches (a paired batch is ~10 ms of each side). */
export const pidsSuite: SuiteDecl = {
  name: 'pids',
  description: 'create + reap a child with a chosen pid (clone3 set_tid at 1/2/4/8 levels, ns_last_pid) against plain clone3, inside pid namespaces of our own',
  defaults: { rounds: 30, warmupRounds: 2, targetBatchMs: 10, workers: 1 },
  quick: { rounds: 6, warmupRounds: 1, targetBatchMs: 4, workers: 1 },
  variants,
  fits: [],
};
