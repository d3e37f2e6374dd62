import type { SuiteDecl, VariantDecl } from '../src/measure/types.js';

/** Flag words as legacy clone takes them (exit signal in the low byte). Values from
 * include/uapi/linux/sched.h. */
const SIGCHLD = 17;
const CLONE_VM = 0x100;
const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_VFORK = 0x4000;
const CLONE_THREAD = 0x10000;
const CLONE_SYSVSEM = 0x40000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_NEWPID = 0x20000000;

export const CLONE_SHAPES = {
  fork: { flags: SIGCHLD, what: 'fork-like (SIGCHLD) + wait4' },
  vfork: { flags: CLONE_VM | CLONE_VFORK | SIGCHLD, what: 'vfork-like (CLONE_VM|CLONE_VFORK) + wait4' },
  thread: {
    flags: CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_CLEARTID,
    what: 'thread-like (VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|CHILD_CLEARTID) + futex wait on the tid word',
  },
  newpid: { flags: CLONE_NEWPID | SIGCHLD, what: 'CLONE_NEWPID (child is init of a new pid namespace) + wait4' },
} as const;

const variants: VariantDecl[] = [];
for (const where of ['node', 'helper'] as const)
  for (const shape of ['thread', 'vfork', 'fork', 'newpid'] as const)
    for (const via of ['legacy', 'clone3'] as const)
      variants.push({
        id: `clone/${where}/${shape}-${via}`,
        description: `${CLONE_SHAPES[shape].what} via ${via === 'legacy' ? 'legacy clone' : 'clone3'}, from ${where === 'node' ? 'the Node process' : 'the small C helper'}`,
        spec: { kind: 'clone', shape, via, where, flags: `0x${CLONE_SHAPES[shape].flags.toString(16)}` },
        // clone3 is judged against legacy clone with the same flags, round by round.
        ...(via === 'clone3' ? { baseline: `clone/${where}/${shape}-legacy` } : {}),
      });

export const cloneSuite: SuiteDecl = {
  name: 'clone',
  description: 'create + reap a child, through legacy clone and clone3, from Node and from a small C process',
  defaults: { rounds: 40, warmupRounds: 2, targetBatchMs: 5, workers: 1 },
  quick: { rounds: 8, warmupRounds: 1, targetBatchMs: 2, workers: 1 },
  variants,
  fits: [],
};
