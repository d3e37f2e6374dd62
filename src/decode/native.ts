/**
 * The koffi binding of build/decoder.so (native/decoder.c): the kernel side of each interface,
 * decoding a materialised image back into a request, with errno.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import koffi from 'koffi';
import { BUILD_DIR } from '../native/paths.js';
import { describeErrno } from '../native/errno.js';
import { EnvironmentError } from '../errors.js';

export const DECODER_PATH = join(BUILD_DIR, 'decoder.so');
/** Must match CBD_ABI_VERSION in native/decoder.c. */
const ABI_VERSION = 1;
const FLAG_WORDS = 64;
const LEVELS = 33;
const MAX_READS = 8;

// Mirrors of the C structs; their sizes are checked against the library's own sizeof at load.
export const StateType = koffi.struct('cbd_state', {
  caller_level: 'int32_t',
  pid_max: 'int32_t',
  privileged: 'int32_t',
  flag_words: 'int32_t',
  ntaken: 'int32_t',
  pad: 'int32_t',
  taken: 'int32_t *',
});
export const RequestType = koffi.struct('cbd_request', {
  flags: koffi.array('uint64_t', FLAG_WORDS),
  stack: 'uint64_t',
  stack_size: 'uint64_t',
  parent_tid: 'uint64_t',
  child_tid: 'uint64_t',
  tls: 'uint64_t',
  cgroup: 'uint64_t',
  exit_signal: 'int32_t',
  child_level: 'int32_t',
  pid: koffi.array('int32_t', LEVELS),
  nreads: 'int32_t',
  read_addr: koffi.array('uint64_t', MAX_READS),
  read_len: koffi.array('uint64_t', MAX_READS),
  read_kind: koffi.array('int32_t', MAX_READS),
});

/** The kernel state the decoder checks against. */
export interface KernelState {
  /** The caller's pid-namespace level. */
  callerLevel: number;
  pidMax: number;
  /** CAP_SYS_ADMIN where the interface asks for it. */
  privileged: boolean;
  /** Pids already in use, by level. */
  taken: ReadonlyArray<{ level: number; pid: number }>;
  /** clone_extended_flags' CLONE_FLAGS_WORDS. */
  flagWords: number;
}

export const DEFAULT_PID_MAX = 4194304;

export interface RawDecoded {
  flags: bigint;
  exitSignal: number;
  stack: bigint;
  stackSize: bigint;
  parentTid: bigint;
  childTid: bigint;
  tls: bigint;
  cgroup: bigint;
  childLevel: number;
  /** pid by absolute level, 0 = automatic. */
  pidByLevel: number[];
  reads: Array<{ address: bigint; length: number; kind: 'copy' | 'zero-check' }>;
}

export interface DecodeResult {
  /** 0, or the errno the kernel side returned. */
  errno: number;
  code: string;
  decoded?: RawDecoded;
  /** The reads made (also on failure: the last one is the one that faulted, if any). */
  reads: RawDecoded['reads'];
}

export interface Decoder {
  readonly path: string;
  interfaceId(proposal: string): number;
  decode(proposal: string, registers: readonly bigint[], state: KernelState): DecodeResult;
  /** 'process_vm_readv' or 'pipe': how unreadable memory is detected. */
  copyMode(): 'process_vm_readv' | 'pipe';
  forcePipe(on: boolean): void;
}

export class DecoderLoadError extends EnvironmentError {
  override name = 'DecoderLoadError';
}

let cached: Decoder | undefined;

export interface CRequest {
  flags: bigint[] | number[];
  stack: bigint | number;
  stack_size: bigint | number;
  parent_tid: bigint | number;
  child_tid: bigint | number;
  tls: bigint | number;
  cgroup: bigint | number;
  exit_signal: number;
  child_level: number;
  pid: number[];
  nreads: number;
  read_addr: Array<bigint | number>;
  read_len: Array<bigint | number>;
  read_kind: number[];
}

export function toRaw(o: CRequest): RawDecoded {
  let flags = 0n;
  for (let i = FLAG_WORDS - 1; i >= 0; i--) flags = (flags << 64n) | BigInt.asUintN(64, BigInt(o.flags[i]));
  const u = (v: bigint | number) => BigInt.asUintN(64, BigInt(v));
  const n = Math.min(o.nreads, MAX_READS);
  return {
    flags,
    exitSignal: o.exit_signal,
    stack: u(o.stack),
    stackSize: u(o.stack_size),
    parentTid: u(o.parent_tid),
    childTid: u(o.child_tid),
    tls: u(o.tls),
    cgroup: u(o.cgroup),
    childLevel: o.child_level,
    pidByLevel: [...o.pid],
    reads: Array.from({ length: n }, (_, i) => ({ address: u(o.read_addr[i]), length: Number(o.read_len[i]), kind: o.read_kind[i] === 1 ? 'zero-check' : 'copy' })),
  };
}

/** The C struct cbd_state for a KernelState. */
export function stateStruct(state: KernelState) {
  const taken = new Int32Array(state.taken.flatMap((t) => [t.level, t.pid]));
  return {
    caller_level: state.callerLevel,
    pid_max: state.pidMax,
    privileged: state.privileged ? 1 : 0,
    flag_words: state.flagWords,
    ntaken: state.taken.length,
    pad: 0,
    taken: taken.length ? taken : null,
  };
}

export function loadDecoder(path = DECODER_PATH): Decoder {
  if (cached && cached.path === path) return cached;
  if (!existsSync(path)) throw new DecoderLoadError(`${path} is missing: run \`npm run build\` (needs cc)`);
  const lib = koffi.load(path);
  const abi = lib.func('int cbd_abi_version(void)')() as number;
  if (abi !== ABI_VERSION) throw new DecoderLoadError(`${path} has ABI ${abi}, expected ${ABI_VERSION}: rebuild with \`npm run build\``);
  const cReq = lib.func('int cbd_sizeof_request(void)')() as number;
  const cState = lib.func('int cbd_sizeof_state(void)')() as number;
  if (cReq !== koffi.sizeof(RequestType) || cState !== koffi.sizeof(StateType))
    throw new DecoderLoadError(`struct mismatch with ${path}: request ${cReq} vs ${koffi.sizeof(RequestType)}, state ${cState} vs ${koffi.sizeof(StateType)}`);
  const ifaceId = lib.func('int cbd_interface_id(const char *name)');
  const decodeFn = lib.func('int cbd_decode(int iface, const uint64_t *regs, int nregs, const cbd_state *st, _Out_ cbd_request *out)');
  const copyMode = lib.func('int cbd_copy_mode(void)');
  const forcePipe = lib.func('void cbd_force_pipe(int on)');
  const ids = new Map<string, number>();
  const interfaceId = (proposal: string) => {
    let id = ids.get(proposal);
    if (id === undefined) {
      id = ifaceId(proposal) as number;
      if (id < 0) throw new DecoderLoadError(`native/decoder.c has no decoder for "${proposal}"`);
      ids.set(proposal, id);
    }
    return id;
  };
  cached = {
    path,
    interfaceId,
    decode(proposal, registers, state) {
      const regs = new BigUint64Array(registers.map((r) => BigInt.asUintN(64, r)));
      const out = {} as CRequest;
      const rc = decodeFn(interfaceId(proposal), regs, regs.length, stateStruct(state), out) as number;
      const raw = toRaw(out);
      return { errno: -rc, code: rc === 0 ? 'OK' : describeErrno(rc).code, decoded: rc === 0 ? raw : undefined, reads: raw.reads };
    },
    copyMode: () => ((copyMode() as number) === 1 ? 'pipe' : 'process_vm_readv'),
    forcePipe: (on) => void forcePipe(on ? 1 : 0),
  };
  return cached;
}
