import type { FitDecl, SuiteDecl, VariantDecl } from '../src/measure/types.js';

/** clone3 copies its struct and its set_tid array before checking flags, so a probe with flag
 * bit 63 fails with EINVAL after real copy_from_user calls and before any fork. */
export const STRUCT_SIZES = [64, 80, 88, 128, 256, 512, 1024, 2048, 4096] as const;
export const SET_TID_COUNTS = [0, 1, 2, 4, 8, 16, 32] as const;
const CLONE_ARGS_VER2 = 88;

/** Every struct size is paired with clone3(args, 0), which fails on the size check before any
 * copy: the delta is the whole cost of the struct path (copy_struct_from_user of the struct,
 * zero check of any tail, the checks before the flag test), the figure a proposal pays. */
const noCopy: VariantDecl = {
  id: 'copy/nocopy',
  description: 'clone3(args, 0): EINVAL on the size check, nothing copied (the struct-path baseline)',
  spec: { kind: 'clone3-probe', structSize: 0, setTidCount: 0 },
};

const structVariants: VariantDecl[] = STRUCT_SIZES.map((size) => ({
  id: `copy/struct-${size}`,
  description:
    size <= CLONE_ARGS_VER2
      ? `clone3 size ${size}, flag bit 63: copy of ${size} bytes`
      : `clone3 size ${size}, flag bit 63: zero check of ${size - CLONE_ARGS_VER2} tail bytes + copy of 88`,
  spec: { kind: 'clone3-probe', structSize: size, setTidCount: 0 },
  baseline: 'copy/nocopy',
}));

const setTidVariants: VariantDecl[] = SET_TID_COUNTS.map((k) => ({
  id: `copy/set_tid-${k}`,
  description:
    k === 0
      ? 'clone3 size 88, flag bit 63, set_tid = 0: the set_tid baseline'
      : `clone3 size 88, flag bit 63, set_tid of ${k} pid(s): + one copy_from_user of ${4 * k} bytes`,
  spec: { kind: 'clone3-probe', structSize: CLONE_ARGS_VER2, setTidCount: k },
  ...(k === 0 ? {} : { baseline: 'copy/set_tid-0' }),
}));

/** The same copies with the pids on the struct's page: no extra page walk, the copy alone. */
const SAME_PAGE_COUNTS = [1, 32] as const;
const setTidSamePageVariants: VariantDecl[] = SAME_PAGE_COUNTS.map((k) => ({
  id: `copy/set_tid-${k}-samepage`,
  description: `as copy/set_tid-${k}, with the pids on the struct's page (already in the TLB)`,
  spec: { kind: 'clone3-probe', structSize: CLONE_ARGS_VER2, setTidCount: k, setTidOnStructPage: true },
  baseline: 'copy/set_tid-0',
}));

const fits: FitDecl[] = [
  {
    id: 'copy/set_tid-fit',
    description: 'one copy_from_user of n bytes (set_tid path): per call (intercept) + per byte (slope)',
    xLabel: 'bytes copied',
    yLabel: 'ns over the set_tid = 0 probe',
    points: SET_TID_COUNTS.filter((k) => k > 0).map((k) => ({ variant: `copy/set_tid-${k}`, x: 4 * k })),
  },
  {
    id: 'copy/struct-tail-fit',
    description: 'struct path from 88 bytes: per byte of zero-tail check (slope); intercept = the whole path for 88 bytes',
    xLabel: 'tail bytes checked for zero',
    yLabel: 'ns over clone3(args, 0)',
    points: STRUCT_SIZES.filter((s) => s >= CLONE_ARGS_VER2).map((s) => ({ variant: `copy/struct-${s}`, x: s - CLONE_ARGS_VER2 })),
  },
];

export const copySuite: SuiteDecl = {
  name: 'copy',
  description: 'real copy_from_user cost through failing clone3 probes, paired with their baselines',
  defaults: { rounds: 320, warmupRounds: 10, targetBatchMs: 2 },
  quick: { rounds: 50, warmupRounds: 3, targetBatchMs: 1 },
  variants: [noCopy, ...structVariants, ...setTidVariants, ...setTidSamePageVariants],
  fits,
};
