/**
 * Materialisation of a user image on the host: every segment in native memory, fixups turned
 * into real addresses, the register arguments as real values. Each segment gets its own pages
 * and ends exactly where a PROT_NONE guard page begins (electric-fence style), so any read past
 * a segment's end faults: a truncated segment is the same image with fewer bytes.
 * Memory is one anonymous mapping per image, freed by dispose().
 */
import koffi from 'koffi';
import type { TargetAbi } from '../ctype/target.js';
import { InputError } from '../errors.js';
import type { UserImage } from './types.js';
import { ByteWriter } from './writer.js';

const PROT_NONE = 0;
const PROT_READ_WRITE = 0x1 | 0x2;
const MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;

interface Libc {
  mmap: (addr: null, len: number, prot: number, flags: number, fd: number, off: number) => unknown;
  mprotect: (addr: unknown, len: number, prot: number) => number;
  munmap: (addr: unknown, len: number) => number;
  pageSize: number;
}

let libc: Libc | undefined;
function loadLibc(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  const sysconf = lib.func('long sysconf(int name)');
  libc = {
    mmap: lib.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, int64_t off)'),
    mprotect: lib.func('int mprotect(void *addr, size_t len, int prot)'),
    munmap: lib.func('int munmap(void *addr, size_t len)'),
    pageSize: Number(sysconf(30 /* _SC_PAGESIZE on Linux */)),
  };
  return libc;
}

export interface MaterialiseOptions {
  /** Keep only the first n bytes of a segment (it then ends n bytes into its run, at the guard). */
  truncate?: Readonly<Record<string, number>>;
}

export interface NativeImage {
  readonly image: UserImage;
  /** The real address of a segment's first byte. */
  address(segment: string): bigint;
  /** A writable view of a segment's native bytes (for hostile tests that corrupt an image). */
  view(segment: string): Uint8Array;
  /** The first byte of the PROT_NONE page after a segment: reading it faults. */
  guard(segment: string): bigint;
  /** Register values of every call, in order, concatenated (what native/decoder.c takes). */
  registers(): bigint[];
  readonly disposed: boolean;
  /** Unmaps the memory; addresses are dangling afterwards. Idempotent. */
  dispose(): void;
}

/** Is this image's layout the host's (byte order and pointer width)? */
export function isHostImage(image: UserImage, host: TargetAbi): boolean {
  return image.target === host.id && image.endian === host.endian && image.pointerBytes === host.types.pointer[0];
}

export function materialise(image: UserImage, host: TargetAbi, options: MaterialiseOptions = {}): NativeImage {
  if (!isHostImage(image, host)) throw new InputError(`cannot materialise a ${image.target} image on a ${host.id} host: encode for the host target`);
  const c = loadLibc();
  const page = c.pageSize;
  const lengths = image.segments.map((s) => Math.min(s.bytes.length, options.truncate?.[s.name] ?? Infinity));
  // Each segment: ceil(len / page) pages (at least one) then one guard page.
  const runs = lengths.map((n) => Math.max(1, Math.ceil(n / page)) * page);
  const total = runs.reduce((a, r) => a + r + page, 0) || page;
  const mapping = c.mmap(null, total, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
  const base = koffi.address(mapping);
  if (base === BigInt.asUintN(64, -1n)) throw new Error('mmap failed for a user image');
  const arena = new Uint8Array(koffi.view(mapping, total));
  const starts = new Map<string, number>();
  const guards = new Map<string, number>();
  let at = 0;
  image.segments.forEach((s, i) => {
    const guardAt = at + runs[i];
    const start = guardAt - lengths[i];
    arena.set(s.bytes.subarray(0, lengths[i]), start);
    starts.set(s.name, start);
    guards.set(s.name, guardAt);
    at = guardAt + page;
  });
  const hostWriter = new ByteWriter(arena, host.endian, host.types.pointer[0] as 4 | 8);
  for (const f of image.fixups) {
    const from = starts.get(f.segment)! + f.offset;
    // A fixup that fell off a truncated segment is simply not there any more.
    if (f.offset + f.width > lengths[image.segments.findIndex((s) => s.name === f.segment)]) continue;
    hostWriter.uint(from, f.width, base + BigInt(starts.get(f.to)!));
  }
  for (const g of guards.values()) {
    if (c.mprotect(koffi.as(base + BigInt(g), 'void *'), page, PROT_NONE) !== 0) throw new Error('mprotect failed for a guard page');
  }
  let disposed = false;
  const need = (segment: string) => {
    if (disposed) throw new Error('native image used after dispose()');
    const s = starts.get(segment);
    if (s === undefined) throw new InputError(`image has no segment "${segment}" (segments: ${[...starts.keys()].join(', ') || 'none'})`);
    return s;
  };
  return {
    image,
    address: (segment) => base + BigInt(need(segment)),
    view(segment) {
      const s = need(segment);
      return arena.subarray(s, s + lengths[image.segments.findIndex((x) => x.name === segment)]);
    },
    guard: (segment) => (need(segment), base + BigInt(guards.get(segment)!)),
    registers() {
      if (disposed) throw new Error('native image used after dispose()');
      return image.calls.flatMap((call) =>
        call.args.map((a) => {
          switch (a.value.kind) {
            case 'value':
              return a.value.value;
            case 'address':
              return base + BigInt(need(a.value.segment));
            case 'symbol':
              // Only the running process knows it (an fd); the decoder does not use it.
              return 0n;
          }
        }),
      );
    },
    get disposed() {
      return disposed;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      c.munmap(mapping, total);
    },
  };
}

/** Runs `fn` with the image in native memory and always frees it. */
export function withNative<T>(image: UserImage, host: TargetAbi, fn: (n: NativeImage) => T, options?: MaterialiseOptions): T {
  const n = materialise(image, host, options);
  try {
    return fn(n);
  } finally {
    n.dispose();
  }
}
