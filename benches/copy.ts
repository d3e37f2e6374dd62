import { PLACEMENTS, type Placement } from '../src/encode/placement.js';
import type { FitDecl, SuiteDecl, VariantDecl } from '../src/measure/types.js';

/** clone3 copies its struct and its set_tid array before checking flags, so a probe with flag
 * bit 63 fails with EINVAL after real copy_from_user calls and before any fork. */
export const STRUCT_SIZES = [64, 80, 88, 128, 256, 512, 1024, 2048, 4096] as const;
export const SET_TID_COUNTS = [1, 2, 4, 8, 16, 32] as const;
/** Short copies (under 128 bytes) and one of 128, at a page end against mid-page. */
export const BOUNDARY_COUNTS = [1, 4, 16, 32] as const;
const CLONE_ARGS_VER2 = 88;

export const setTidId = (k: number, p: Placement) => `copy/set_tid-${k}@${p}`;
export const boundaryId = (k: number) => `copy/boundary-${4 * k}`;

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

const setTidBase: VariantDecl = {
  id: 'copy/set_tid-0',
  description: 'clone3 size 88, flag bit 63, set_tid = 0: the set_tid baseline',
  spec: { kind: 'clone3-probe', structSize: CLONE_ARGS_VER2, setTidCount: 0 },
};

/** One copy_from_user of 4k bytes at every placement, each paired with set_tid = 0. */
const setTidVariants: VariantDecl[] = PLACEMENTS.flatMap((placement) =>
  SET_TID_COUNTS.map((k) => ({
    id: setTidId(k, placement),
    description: `clone3 size 88, flag bit 63, set_tid of ${k} pid(s), ${placement}: + one copy_from_user of ${4 * k} bytes`,
    spec: { kind: 'clone3-probe' as const, structSize: CLONE_ARGS_VER2, setTidCount: k, placement },
    baseline: 'copy/set_tid-0',
  })),
);

/** The boundary experiment: a copy ending exactly at a page end before a PROT_NONE page,
 * interleaved in the same batch with the same copy mid-page (scattered), so the delta is what
 * the page end alone costs on this CPU. */
const boundaryVariants: VariantDecl[] = BOUNDARY_COUNTS.map((k) => ({
  id: boundaryId(k),
  description: `set_tid of ${4 * k} bytes ending at a page end before a PROT_NONE page, against the same copy mid-page`,
  spec: { kind: 'clone3-probe', structSize: CLONE_ARGS_VER2, setTidCount: k, placement: 'page-end' },
  baseline: setTidId(k, 'scattered'),
}));

const CALL = { name: 'call', label: 'per copy_from_user call', unit: 'ns' };
const BYTE = { name: 'byte', label: 'per byte copied', unit: 'ns/B' };
const PAGE = { name: 'page', label: 'per page touched beyond the probe struct\'s own', unit: 'ns' };

/** Where the set_tid array sits decides the extra pages its copy touches (placement.ts). */
const EXTRA_PAGES: Record<Placement, number> = { 'co-located': 0, scattered: 1, 'page-end': 1 };

/** The copy-cost models, one per placement family. The caller model spans co-located (no
 * extra page) and scattered (one) copies, so its page term is the cost of touching one more
 * page; it predicts the co-located and scattered plans. page-end gets a model of its own: the
 * slow path some CPUs take there is not linear in bytes, and the model says so by failing to
 * predict (the run reports that rather than hiding it). */
const fits: FitDecl[] = [
  {
    id: 'copy/model-caller',
    description: 'one copy_from_user (set_tid path), co-located and scattered: per call + per byte + per extra page',
    placement: 'co-located',
    predicts: ['co-located', 'scattered'],
    yLabel: 'ns over the set_tid = 0 probe',
    terms: [CALL, BYTE, PAGE],
    points: (['co-located', 'scattered'] as const).flatMap((p) =>
      SET_TID_COUNTS.map((k) => ({ variant: setTidId(k, p), x: [1, 4 * k, EXTRA_PAGES[p]] })),
    ),
  },
  {
    id: 'copy/model-page-end',
    description: 'one copy_from_user (set_tid path) ending at a PROT_NONE page: per call + per byte',
    placement: 'page-end',
    predicts: ['page-end'],
    yLabel: 'ns over the set_tid = 0 probe',
    terms: [CALL, BYTE],
    points: SET_TID_COUNTS.map((k) => ({ variant: setTidId(k, 'page-end'), x: [1, 4 * k] })),
  },
  {
    id: 'copy/struct-tail-fit',
    description: 'struct path from 88 bytes: the whole path for 88 bytes (constant) + per byte of zero-tail check',
    placement: null,
    predicts: [],
    yLabel: 'ns over clone3(args, 0)',
    terms: [{ name: 'call', label: 'struct path of 88 bytes', unit: 'ns' }, { name: 'byte', label: 'per tail byte checked for zero', unit: 'ns/B' }],
    points: STRUCT_SIZES.filter((s) => s >= CLONE_ARGS_VER2).map((s) => ({ variant: `copy/struct-${s}`, x: [1, s - CLONE_ARGS_VER2] })),
  },
];

export const copySuite: SuiteDecl = {
  name: 'copy',
  description: 'real copy_from_user cost through failing clone3 probes, at three placements, paired with their baselines',
  defaults: { rounds: 160, warmupRounds: 4, targetBatchMs: 1, workers: 6 },
  quick: { rounds: 24, warmupRounds: 1, targetBatchMs: 0.5, workers: 2 },
  variants: [noCopy, ...structVariants, setTidBase, ...setTidVariants, ...boundaryVariants],
  fits,
};
