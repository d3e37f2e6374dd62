/**
 * A harness with chosen timings (RunOptions.harness), for tests that pin the sign and pairing
 * of every delta and the models without a clock: memory, probe structs and addresses are the
 * real harness's (so placements and page counts are real), but every batch returns the time
 * its costs say, with no noise. A clone3 probe costs
 *   base + structPerByte * size + [set_tid] (call + byte * bytes + page * extra pages)
 * where extra pages are the set_tid array's pages other than its struct's, counted here by
 * page numbers, independently of src/encode/placement.ts.
 */
import koffi from 'koffi';
import type { CloneShapeName, Harness, NativePages } from '../src/native/harness.js';

export interface FakeCosts {
  base: number;
  structPerByte: number;
  call: number;
  byte: number;
  page: number;
  getppid: number;
  clone: Record<CloneShapeName, number>;
  /** What clone3 costs over legacy clone with the same flags. */
  clone3Extra: number;
  /** Extra cost of a copy under 128 bytes that ends exactly at a page end (the slow path an
   * Intel Xeon VM showed before a non-present page); 0 = none, as on the AMD EPYC VMs. */
  pageEndShort?: number;
}

export const FAKE_COSTS: FakeCosts = {
  base: 200,
  structPerByte: 0.5,
  call: 40,
  byte: 0.25,
  page: 7,
  getppid: 150,
  clone: { thread: 20_000, vfork: 30_000, fork: 300_000, newpid: 400_000 },
  clone3Extra: 1_000,
};

const PAGE = 4096n;
const EINVAL = 22;

export function fakeHarness(real: Harness, costs: FakeCosts = FAKE_COSTS): Harness {
  const probeCost = (ptr: NativePages, size: number): number => {
    if (size === 0) return costs.base;
    const at = real.addressOf(ptr);
    const f = koffi.decode(ptr, 'uint64_t[11]') as BigUint64Array;
    const setTid = f[8];
    const k = Number(f[9]);
    let c = costs.base + costs.structPerByte * size;
    if (k > 0) {
      const bytes = 4 * k;
      const own = new Set<bigint>();
      for (let p = at / PAGE; p <= (at + 87n) / PAGE; p++) own.add(p);
      let extra = 0;
      for (let p = setTid / PAGE; p <= (setTid + BigInt(bytes) - 1n) / PAGE; p++) if (!own.has(p)) extra++;
      c += costs.call + costs.byte * bytes + costs.page * extra;
      if (costs.pageEndShort && bytes < 128 && (setTid + BigInt(bytes)) % PAGE === 0n) c += costs.pageEndShort;
    }
    return c;
  };
  const pair = (ca: number, cb: number, block: number, pairs: number) => ({
    nsA: ca * block * pairs,
    nsB: cb * block * pairs,
    pairDeltas: new Float64Array(pairs).fill(ca - cb),
    ret: -EINVAL,
  });
  return {
    ...real,
    path: `${real.path} (fake timings)`,
    probeBatch(kind, args, size, iters) {
      if (kind === 'clone3') return { ns: iters * probeCost(args as NativePages, size), ret: -EINVAL, done: iters };
      return { ns: iters * (kind === 'empty' ? 0.5 : costs.getppid), ret: 0, done: iters };
    },
    probePairBatch(a, sizeA, b, sizeB, block, pairs) {
      return pair(probeCost(a as NativePages, sizeA), probeCost(b as NativePages, sizeB), block, pairs);
    },
    probeSeqPairBatch(a, b, size, block, pairs) {
      const sum = (xs: BigUint64Array) => Array.from(xs).reduce((s, x) => s + probeCost(real.pointer(x), size), 0);
      return { ...pair(sum(a), sum(b), block, pairs), badIndex: -1 };
    },
    cloneBatch(shape, via, iters) {
      return { ns: iters * (costs.clone[shape] + (via === 'clone3' ? costs.clone3Extra : 0)), ret: 0, done: iters };
    },
  };
}
