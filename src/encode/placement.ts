/**
 * Where a materialised image's segments sit in memory. The cost of a short copy_from_user can
 * depend on it: on some CPUs (an Intel Xeon VM with FSRM and ERMS, see method.md) a copy of
 * under 128 bytes that ends exactly at a page end followed by a page with no present
 * page-table entry takes a slow path costing several times the copy itself. A caller's
 * clone_args and pid array live on its stack or in a small heap buffer with present pages
 * around them, so the copy cost a caller pays is measured with `co-located`; the other
 * placements are shown beside it:
 * - `co-located`: the probe structs (the `reserve` area) and the segments packed one after the
 *   other, each aligned as its ABI requires, inside one page where they fit (else running on
 *   into the next), at a varied offset, with present pages before and after;
 * - `scattered`: every segment on its own page at a varied offset that ends at least
 *   MIN_SLACK bytes before the page end, present pages around;
 * - `page-end`: every segment ends exactly at a PROT_NONE guard page (electric-fence style):
 *   right for the decoder's correctness tests (any read past a segment faults), adversarial
 *   for timing.
 * Pure: offsets only. materialise.ts maps and fills the memory.
 */

export const PLACEMENTS = ['co-located', 'scattered', 'page-end'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const PLACEMENT_DESCRIPTIONS: Readonly<Record<Placement, string>> = {
  'co-located': 'packed with its probe structs in one page (or the next), at a varied offset, present pages around: as a caller lays out its arguments',
  scattered: 'each segment on a page of its own, at a varied offset clear of the page end, present pages around',
  'page-end': 'each segment ending exactly at a PROT_NONE guard page (adversarial: short copies ending at a non-present page)',
};

/** Bytes a `scattered` segment keeps clear of its page's end (when it fits in a page at all). */
export const MIN_SLACK = 64;
/** Alignment of the reserved (probe struct) area and of the co-located region's start. */
const REGION_ALIGN = 64;

export interface ArenaLayout {
  /** Bytes to map: whole pages. */
  size: number;
  /** Offset of each segment's first byte, in the order given. */
  segments: number[];
  /** Offset of the reserved area (co-located only), else null. */
  reserved: number | null;
  /** Offsets of the pages to make PROT_NONE (page-end only). */
  guards: number[];
}

export interface LayoutOptions {
  page: number;
  /** Bytes to reserve beside the segments (co-located: the probe structs that copy from them). */
  reserve?: number;
  /** Uniform numbers in [0, 1) that choose the varied offsets (a seeded stream). */
  rng: () => number;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;
const alignDown = (n: number, a: number) => Math.floor(n / a) * a;

function pageEnd(lengths: readonly number[], page: number): ArenaLayout {
  const segments: number[] = [];
  const guards: number[] = [];
  let at = 0;
  for (const n of lengths) {
    const run = Math.max(1, Math.ceil(n / page)) * page;
    segments.push(at + run - n);
    guards.push(at + run);
    at += run + page;
  }
  return { size: at || page, segments, reserved: null, guards };
}

function coLocated(lengths: readonly number[], aligns: readonly number[], { page, reserve = 0, rng }: LayoutOptions): ArenaLayout {
  // Relative offsets first: reserved area, then each segment at its alignment.
  let rel = alignUp(reserve, REGION_ALIGN);
  const relSegments = lengths.map((n, i) => {
    rel = alignUp(rel, Math.max(1, aligns[i]));
    const at = rel;
    rel += n;
    return at;
  });
  const total = Math.max(rel, 1);
  const room = page - total;
  const start = page + (room > 0 ? alignDown(Math.floor(rng() * room), REGION_ALIGN) : 0);
  // A present page before, the region's pages, a present page after.
  const size = page + alignUp(start - page + total, page) + page;
  return { size, segments: relSegments.map((r) => start + r), reserved: reserve > 0 ? start : null, guards: [] };
}

function scattered(lengths: readonly number[], aligns: readonly number[], { page, rng }: LayoutOptions): ArenaLayout {
  const segments: number[] = [];
  let at = page; // a present page first
  lengths.forEach((n, i) => {
    const room = page - n - MIN_SLACK;
    const off = room > 0 ? alignDown(Math.floor(rng() * room), Math.max(1, aligns[i])) : 0;
    segments.push(at + off);
    at += Math.max(1, Math.ceil((off + n) / page)) * page;
  });
  return { size: at + page, segments, reserved: null, guards: [] };
}

/** Offsets for segments of the given lengths and alignments under a placement. */
export function layoutArena(lengths: readonly number[], aligns: readonly number[], placement: Placement, opts: LayoutOptions): ArenaLayout {
  if (lengths.length !== aligns.length) throw new RangeError('one alignment per segment');
  switch (placement) {
    case 'page-end':
      return pageEnd(lengths, opts.page);
    case 'co-located':
      return coLocated(lengths, aligns, opts);
    case 'scattered':
      return scattered(lengths, aligns, opts);
  }
}

/** Pages a copy of [from, from + length) touches that are not among the pages of
 * [structAt, structAt + structLength): the page-table walks the copy adds to its syscall. */
export function extraPages(from: bigint, length: number, structAt: bigint, structLength: number, page: number): number {
  const P = BigInt(page);
  const pagesOf = (a: bigint, n: number) => {
    const out = new Set<bigint>();
    for (let p = a / P; p <= (a + BigInt(Math.max(n, 1)) - 1n) / P; p++) out.add(p);
    return out;
  };
  const own = pagesOf(structAt, structLength);
  return [...pagesOf(from, length)].filter((p) => !own.has(p)).length;
}
