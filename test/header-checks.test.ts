/**
 * Every check the generic decoder performs, one table row each: a header gives each check its
 * own errno, so a row shows that exactly that check fired, and the reads show that the copies
 * stop where the failing check stands in the header's order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeGeneric, stateFor, type Decoded } from '../src/decode/decode.js';
import { encodeWith } from '../src/encode/encode.js';
import { materialise, type NativeImage } from '../src/encode/materialise.js';
import type { EncodeOptions } from '../src/encode/types.js';
import { loadHeader } from '../src/header/load.js';
import type { KernelState } from '../src/decode/native.js';
import { hostTarget, resolveProposal } from '../src/registry.js';
import { CLONE_NEWPID, makeRequest, type CloneRequest } from '../src/request/types.js';

const HEADER = `#include <linux/types.h>
#define F_A 0x100
#define F_B 0x200
#define F_FD 0x400
#define CLONE_NEWPID 0x20000000
#define V0 48
#define V1 56
struct args {
	__u64 flags;
	__u64 exit_signal;
	__u64 stack;
	__u64 stack_size;
	__s32 count;
	__u32 reserved;
	__u64 pids;
	__u64 fd;
};
SYSCALL_DEFINE2(checks, struct args __user *, uargs, size_t, size);
/*@
 * @flags args.flags
 * @unknown-flags rejected
 * @known-flags F_* CLONE_NEWPID
 * @carries args.exit_signal exit_signal
 * @carries args.stack stack
 * @carries args.stack_size stack_size
 * @carries args.fd cgroup flag=F_FD
 * @pids args.pids count=args.count order=innermost-first element=pid_t max=4
 * @zero args.reserved
 * @size size struct=args rule=copy-struct-from-user versions=V0,V1 max=PAGE_SIZE
 * @since args.fd V1
 * @errno E2BIG size-above-max
 * @errno EINVAL size-below-min
 * @errno ENOSPC tail-not-zero
 * @errno EFAULT fault uargs
 * @errno EDOM negative args.count
 * @errno ERANGE above-max args.count
 * @errno ENOTTY null-mismatch args.count
 * @errno EIO not-zero args.reserved
 * @errno EBADF exit-signal
 * @errno EXDEV flag-member args.fd
 * @errno ENOEXEC flags-exclusive F_A F_B
 * @errno ECHILD flag-forbids F_B args.exit_signal
 * @errno ESPIPE stack-pair
 * @errno EFAULT fault args.pids
 * @errno EMLINK unknown-flags
 * @errno EPIPE above-levels args.count
 * @errno ENXIO pid-range
 * @errno ENODEV pid-not-1
 * @errno EPERM unprivileged
 * @errno EEXIST pid-taken
 */
`;

const plugin = loadHeader('checks.h', HEADER);
const rp = resolveProposal(plugin.declaration);
const host = hostTarget();

interface Row {
  name: string;
  req: CloneRequest;
  options?: EncodeOptions;
  state?: Partial<KernelState>;
  truncate?: Record<string, number>;
  corrupt?: (n: NativeImage, regs: bigint[]) => void;
  code: string;
  /** Reads made before the check failed. */
  reads?: number;
}

const pid = (level: number, p: number) => ({ level, pid: p });
const twoPids = makeRequest({ depth: 1, pids: [pid(0, 100), pid(1, 101)] });
const setU32 = (n: NativeImage, offset: number, v: number) => new DataView(n.view('args').buffer, n.view('args').byteOffset).setInt32(offset, v, true);
const setU64 = (n: NativeImage, offset: number, v: bigint) => new DataView(n.view('args').buffer, n.view('args').byteOffset).setBigUint64(offset, v, true);

const ROWS: Row[] = [
  { name: 'a valid request', req: twoPids, code: 'OK', reads: 2 },
  { name: 'size above PAGE_SIZE', req: twoPids, corrupt: (_n, r) => (r[1] = 8192n), code: 'E2BIG', reads: 0 },
  { name: 'size below the first version', req: twoPids, corrupt: (_n, r) => (r[1] = 40n), code: 'EINVAL', reads: 0 },
  { name: 'a non-zero tail beyond the kernel\'s struct', req: twoPids, options: { structSize: 64 }, corrupt: (n) => (n.view('args')[60] = 1), code: 'ENOSPC', reads: 1 },
  { name: 'the struct unreadable', req: twoPids, truncate: { args: 10 }, code: 'EFAULT', reads: 1 },
  { name: 'a negative count', req: twoPids, corrupt: (n) => setU32(n, 32, -1), code: 'EDOM', reads: 1 },
  { name: 'a count above max', req: twoPids, corrupt: (n) => setU32(n, 32, 5), code: 'ERANGE', reads: 1 },
  { name: 'a count without its pointer', req: twoPids, corrupt: (n) => setU64(n, 40, 0n), code: 'ENOTTY', reads: 1 },
  { name: 'a reserved member set', req: twoPids, corrupt: (n) => setU32(n, 36, 1), code: 'EIO', reads: 1 },
  { name: 'an exit signal above _NSIG', req: makeRequest({ exitSignal: 65 }), code: 'EBADF', reads: 1 },
  { name: 'the enabling flag with the member beyond the size passed', req: makeRequest({ flags: 0x400n }), corrupt: (_n, r) => (r[1] = 48n), code: 'EXDEV', reads: 1 },
  { name: 'two exclusive flags', req: makeRequest({ flags: 0x300n }), code: 'ENOEXEC', reads: 1 },
  { name: 'a flag that forbids a member', req: makeRequest({ flags: 0x200n, exitSignal: 1 }), code: 'ECHILD', reads: 1 },
  { name: 'a stack without its size', req: makeRequest({ stack: 0x1000n }), code: 'ESPIPE', reads: 1 },
  { name: 'the pids unreadable', req: twoPids, truncate: { pids: 4 }, code: 'EFAULT', reads: 2 },
  { name: 'an unknown flag', req: makeRequest({ flags: 1n << 40n }), code: 'EMLINK', reads: 1 },
  { name: 'more pids than levels', req: twoPids, state: { callerLevel: 0 }, code: 'EPIPE', reads: 2 },
  { name: 'a pid beyond pid_max', req: twoPids, state: { pidMax: 101 }, code: 'ENXIO', reads: 2 },
  { name: 'a pid other than 1 in the new namespace', req: makeRequest({ flags: CLONE_NEWPID, pids: [pid(1, 5)] }), code: 'ENODEV', reads: 2 },
  { name: 'pids without privilege', req: twoPids, state: { privileged: false }, code: 'EPERM', reads: 2 },
  { name: 'a pid in use', req: twoPids, state: { taken: [pid(0, 100)] }, code: 'EEXIST', reads: 2 },
  // Two faults: the one earlier in the header's order wins.
  { name: 'a reserved member set and an unknown flag', req: makeRequest({ flags: 1n << 40n }), corrupt: (n) => setU32(n, 36, 1), code: 'EIO', reads: 1 },
  { name: 'a stack without its size and unreadable pids', req: makeRequest({ ...twoPids, stack: 0x1000n }), truncate: { pids: 0 }, code: 'ESPIPE', reads: 1 },
];

describe('each check of the generic decoder fires alone, in the header\'s order', () => {
  for (const row of ROWS) {
    it(`${row.name} -> ${row.code}`, () => {
      const img = encodeWith(plugin.encoder, row.req, host, rp, row.options);
      const native = materialise(img, host, { truncate: row.truncate });
      let r: Decoded;
      try {
        const regs = native.registers();
        row.corrupt?.(native, regs);
        r = decodeGeneric(native, rp, plugin.semantics, stateFor(row.req, rp, row.state), regs);
      } finally {
        native.dispose();
      }
      assert.equal(r.code, row.code);
      if (row.reads !== undefined) assert.equal(r.reads.length, row.reads, JSON.stringify(r.reads, (_, v) => (typeof v === 'bigint' ? v.toString(16) : v)));
      if (row.code === 'OK') assert.deepEqual(r.request, row.req);
    });
  }
});
