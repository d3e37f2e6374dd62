import { existsSync, readFileSync } from 'node:fs';
import koffi from 'koffi';
import { HARNESS_PATH } from './paths.js';
import { EnvironmentError } from '../errors.js';
import { EINVAL, HARNESS_BAD_ARGS, HARNESS_UNSUPPORTED } from './errno.js';

/** Must match cb_abi_version() in native/harness.c. */
const ABI_VERSION = 3;

/** Block pairs one ABBA batch can record (CB_MAX_PAIRS in native/cb_core.h). */
export const MAX_PAIRS = 4096;

/** The C constants this file relies on, by cb_constant() index; checked at load. */
const C_CONSTANTS: ReadonlyArray<[index: number, name: string, expected: number]> = [
  [0, 'EINVAL', EINVAL],
  [1, 'CB_MAX_PAIRS', MAX_PAIRS],
  [2, 'CB_ERR_UNSUPPORTED', HARNESS_UNSUPPORTED],
  [3, 'CB_ERR_BADARGS', HARNESS_BAD_ARGS],
  [4, 'sizeof(struct cb_clone_args)', 88],
];

/** `getppid`: glibc's getppid(), as perf and lmbench time it; `getppid-raw`: the syscall instruction inline. */
export const ProbeKind = { empty: 0, 'getppid-raw': 1, clone3: 2, getppid: 3 } as const;
export type ProbeKindName = keyof typeof ProbeKind;
export const CloneShape = { fork: 0, vfork: 1, thread: 2, newpid: 3 } as const;
export type CloneShapeName = keyof typeof CloneShape;
export const CloneVia = { legacy: 0, clone3: 1 } as const;
export type CloneViaName = keyof typeof CloneVia;

/** Size of struct clone_args the kernel knows since 5.7 (VER2). */
export const CLONE_ARGS_SIZE_VER2 = 88;

export interface BatchResult {
  /** Elapsed nanoseconds for the whole batch (CLOCK_MONOTONIC, read in C). */
  ns: number;
  /** First call's result for a probe (0 or -errno); for clone, 0 or the failing clone's -errno. */
  ret: number;
  /** Iterations completed (clone batches stop at the first failure). */
  done: number;
}

/** Memory the harness allocated (koffi external pointer); pass it wherever a probe buffer goes. */
export type NativePages = { readonly __nativePages: unique symbol };
/** A probe buffer: a Node Buffer (e.g. an encoder's bytes) or harness-allocated pages. */
export type ProbeMemory = Buffer | NativePages;

export interface PairBatchResult {
  /** Total ns of the A calls and of the B calls. */
  nsA: number;
  nsB: number;
  /** Per block pair: (A - B) ns per call. */
  pairDeltas: Float64Array;
  ret: number;
}

/** cb_abba driven by a fake clock (tests): the sides' ns, per-pair deltas and the order the
 * blocks ran in (0 = A, 1 = B). */
export interface AbbaTestResult extends PairBatchResult {
  order: number[];
}

export interface SeqPairBatchResult extends PairBatchResult {
  /** Index of the probe that did not fail with EINVAL (A's first, then B's as nA + j), or -1. */
  badIndex: number;
}

export interface Harness {
  readonly path: string;
  /** x86_64 only; false means every raw clone and probe returns the UNSUPPORTED code. */
  readonly supported: boolean;
  /** One probe batch; `args` is the clone3 struct (null for the other kinds). */
  probeBatch(kind: ProbeKindName, args: ProbeMemory | null, size: number, iters: number): BatchResult;
  /** One interleaved A/B batch of clone3 probes: `pairs` pairs of `block` calls, ABBA order. */
  probePairBatch(a: ProbeMemory, sizeA: number, b: ProbeMemory, sizeB: number, block: number, pairs: number): PairBatchResult;
  /** One interleaved batch of two probe sequences (addresses of clone3 probe structs, all passed
   * `size`): one iteration of A calls every probe of `a` in order; ABBA blocks as probePairBatch. */
  probeSeqPairBatch(a: BigUint64Array, b: BigUint64Array, size: number, block: number, pairs: number): SeqPairBatchResult;
  /** The shared C ABBA loop with a fake clock: an A iteration costs costA ns, a B one costB, and
   * the k-th block run costs `drift * k` ns more per iteration (tests pin the attribution). */
  testAbba(costA: number, costB: number, drift: number, block: number, pairs: number): AbbaTestResult;
  /** Page-aligned zeroed memory (never freed; allocate a few pages once per run). */
  allocPages(size: number): NativePages;
  /** Unmaps pages from allocPages (the same size); for memory held by one suite only. */
  freePages(pages: NativePages, size: number): void;
  /** The address `offset` bytes into pages from allocPages. */
  offset(pages: NativePages, offset: number): NativePages;
  /** The numeric address of harness memory (for address tables and set_tid pointers). */
  addressOf(pages: NativePages): bigint;
  /** Any user address as a pointer argument, e.g. a materialised image's segment: the kernel,
   * not the harness, decides whether it can be read. */
  pointer(address: bigint): NativePages;
  /** One batch of create + reap cycles. */
  cloneBatch(shape: CloneShapeName, via: CloneViaName, iters: number): BatchResult;
  /** Fills `buf` with a clone3 probe struct: flag bit 63, set_tid -> `setTid` (any user
   * buffer, e.g. an encoder's), set_tid_size = count. The rest of `buf` is zeroed. */
  writeProbeArgs(buf: ProbeMemory, bufSize: number, setTid: ProbeMemory | null, count: number): void;
  /** Pins Node's main thread to one CPU; returns 0 or -errno. */
  pinCpu(cpu: number): number;
  unpinCpu(): number;
  currentCpu(): number;
  /** The flags build/harness.so was compiled with (build/harness.so.cflags.json). */
  compileInfo(): CompileInfo;
}

export interface CompileInfo {
  cc: string;
  version: string;
  flags: string[];
  source: string;
}

let cached: Harness | undefined;

export class HarnessLoadError extends EnvironmentError {
  override name = 'HarnessLoadError';
}

export function readCompileInfo(binaryPath: string): CompileInfo {
  const file = `${binaryPath}.cflags.json`;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CompileInfo;
  } catch {
    return { cc: 'unknown', version: 'unknown', flags: [], source: `${file} missing` };
  }
}

/** Loads build/harness.so once per process. */
export function loadHarness(path = HARNESS_PATH): Harness {
  if (cached && cached.path === path) return cached;
  if (!existsSync(path)) throw new HarnessLoadError(`${path} is missing: run \`npm run build\` (needs cc)`);
  const lib = koffi.load(path);
  const abi = lib.func('int cb_abi_version(void)')() as number;
  if (abi !== ABI_VERSION) throw new HarnessLoadError(`${path} has ABI ${abi}, expected ${ABI_VERSION}: rebuild with \`npm run build\``);
  const supported = (lib.func('int cb_supported(void)')() as number) === 1;
  const batchProbe = lib.func('int64_t cb_batch_probe(int kind, const void *args, uint64_t size, int64_t iters, double *out)');
  const batchClone = lib.func('int64_t cb_batch_clone(int shape, int via, int64_t iters, double *out)');
  const batchPair = lib.func(
    'int64_t cb_batch_probe_pair(const void *a, uint64_t size_a, const void *b, uint64_t size_b, int64_t block, int64_t pairs, double *out, double *pair_delta)',
  );
  const constant = lib.func('int64_t cb_constant(int which)');
  for (const [index, name, expected] of C_CONSTANTS) {
    const got = Number(constant(index));
    if (got !== expected) throw new HarnessLoadError(`${path}: ${name} is ${got} in C, ${expected} here: rebuild with \`npm run build\``);
  }
  const testAbba = lib.func('int64_t cb_test_abba(int64_t cost_a, int64_t cost_b, int64_t drift, int64_t block, int64_t pairs, double *out, double *pair_delta, int *order_log)');
  const batchSeqPair = lib.func(
    'int64_t cb_batch_probe_seq_pair(const uint64_t *a, int64_t n_a, const uint64_t *b, int64_t n_b, uint64_t size, int64_t block, int64_t pairs, double *out, double *pair_delta)',
  );
  const alloc = lib.func('void *cb_alloc_pages(uint64_t size)');
  const free = lib.func('int cb_free_pages(void *p, uint64_t size)');
  const ptrAdd = lib.func('void *cb_ptr_add(void *p, uint64_t off)');
  const probeArgs = lib.func('int cb_clone3_probe_args(void *buf, uint64_t size, const void *set_tid, uint64_t count)');
  const pin = lib.func('int cb_pin_cpu(int cpu)');
  const unpin = lib.func('int cb_unpin_cpu(void)');
  const cpu = lib.func('int cb_current_cpu(void)');
  const out = new Float64Array(3);
  const checkIters = (iters: number) => {
    if (!Number.isSafeInteger(iters) || iters < 1) throw new RangeError(`iterations must be a positive integer, got ${iters}`);
  };
  const checkPairs = (block: number, pairs: number) => {
    checkIters(block);
    checkIters(pairs);
    if (pairs > MAX_PAIRS) throw new RangeError(`at most ${MAX_PAIRS} block pairs per batch, got ${pairs}`);
  };
  cached = {
    path,
    supported,
    probeBatch(kind, args, size, iters) {
      checkIters(iters);
      if (Buffer.isBuffer(args) && size > args.length) throw new RangeError(`probe size ${size} exceeds its buffer (${args.length} bytes)`);
      out[0] = 0;
      const ret = batchProbe(ProbeKind[kind], args, size, iters, out) as number;
      return { ns: out[0], ret, done: ret === 0 || ret === -EINVAL ? iters : 0 };
    },
    testAbba(costA, costB, drift, block, pairs) {
      checkPairs(block, pairs);
      const pairDeltas = new Float64Array(pairs);
      const order = new Int32Array(2 * pairs);
      out.fill(0);
      const ret = Number(testAbba(costA, costB, drift, block, pairs, out, pairDeltas, order));
      return { nsA: out[0], nsB: out[1], pairDeltas, ret, order: Array.from(order) };
    },
    probePairBatch(a, sizeA, b, sizeB, block, pairs) {
      checkPairs(block, pairs);
      const pairDeltas = new Float64Array(pairs);
      out[0] = 0;
      out[1] = 0;
      const ret = batchPair(a, sizeA, b, sizeB, block, pairs, out, pairDeltas) as number;
      return { nsA: out[0], nsB: out[1], pairDeltas, ret };
    },
    probeSeqPairBatch(a, b, size, block, pairs) {
      checkPairs(block, pairs);
      if (a.length < 1 || b.length < 1) throw new RangeError('a probe sequence needs at least one probe');
      const pairDeltas = new Float64Array(pairs);
      out.fill(0);
      const ret = batchSeqPair(a, a.length, b, b.length, size, block, pairs, out, pairDeltas) as number;
      return { nsA: out[0], nsB: out[1], pairDeltas, ret, badIndex: out[2] };
    },
    allocPages(size) {
      const p = alloc(size) as NativePages | null;
      if (!p) throw new RangeError(`cannot map ${size} bytes`);
      return p;
    },
    freePages(pages, size) {
      const r = free(pages, size) as number;
      if (r !== 0) throw new RangeError(`cannot unmap ${size} bytes (errno ${-r})`);
    },
    offset: (pages, offset) => ptrAdd(pages, offset) as NativePages,
    addressOf: (pages) => koffi.address(pages) as bigint,
    // Through C (p + 0), so the result is a real koffi pointer: usable in calls and in decode.
    pointer: (address) => ptrAdd(koffi.as(address, 'void *'), 0) as NativePages,
    cloneBatch(shape, via, iters) {
      checkIters(iters);
      out[0] = 0;
      out[1] = 0;
      const ret = batchClone(CloneShape[shape], CloneVia[via], iters, out) as number;
      return { ns: out[0], ret, done: out[1] };
    },
    writeProbeArgs(buf, bufSize, setTid, count) {
      if (Buffer.isBuffer(buf) && bufSize > buf.length) throw new RangeError(`buffer of ${buf.length} bytes is smaller than ${bufSize}`);
      const r = probeArgs(buf, bufSize, setTid, count) as number;
      if (r !== 0) throw new RangeError(`cannot write a clone3 probe struct into ${bufSize} bytes`);
    },
    pinCpu: (n) => pin(n) as number,
    unpinCpu: () => unpin() as number,
    currentCpu: () => cpu() as number,
    compileInfo: () => readCompileInfo(path),
  };
  return cached;
}
