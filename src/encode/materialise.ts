/**
 * Materialisation of a user image on the host: every segment in native memory, fixups turned
 * into real addresses, the register arguments as real values. Where the segments sit is a
 * placement (placement.ts): `page-end` (the default, for correctness tests) ends each segment
 * exactly where a PROT_NONE guard page begins, so any read past a segment's end faults and a
 * truncated segment is the same image with fewer bytes; `co-located` and `scattered` are the
 * layouts the copy-cost measurements use. Memory is one anonymous mapping per image, every
 * page present, freed by dispose().
 */
import type { TargetAbi } from '../ctype/target.js';
import { InputError } from '../errors.js';
import { guardPage, loadLibc, mapPresent } from '../native/libc.js';
import { mulberry32 } from '../stats/prng.js';
import { layoutArena, type Placement } from './placement.js';
import type { UserImage } from './types.js';
import { ByteWriter } from './writer.js';

export interface MaterialiseOptions {
  /** Keep only the first n bytes of a segment (page-end: it then ends n bytes into its run, at the guard). */
  truncate?: Readonly<Record<string, number>>;
  /** Default `page-end`. */
  placement?: Placement;
  /** Chooses the varied offsets of `co-located` and `scattered` (default: a fixed stream). */
  rng?: () => number;
  /** Bytes to reserve beside the segments (`co-located`: probe structs); see NativeImage.reserved. */
  reserve?: number;
}

export interface NativeImage {
  readonly image: UserImage;
  /** The real address of a segment's first byte. */
  address(segment: string): bigint;
  /** A writable view of a segment's native bytes (for hostile tests that corrupt an image). */
  view(segment: string): Uint8Array;
  /** The first byte of the PROT_NONE page after a segment (page-end placement): reading it
   * faults. Other placements have no guard: an input error. */
  guard(segment: string): bigint;
  /** Address of the reserved area (options.reserve bytes, zeroed), or null. */
  readonly reserved: bigint | null;
  readonly placement: Placement;
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
  const placement = options.placement ?? 'page-end';
  const lengths = image.segments.map((s) => Math.min(s.bytes.length, options.truncate?.[s.name] ?? Infinity));
  const layout = layoutArena(
    lengths,
    image.segments.map((s) => s.align),
    placement,
    { page, reserve: options.reserve ?? 0, rng: options.rng ?? mulberry32(0x5eed) },
  );
  const total = layout.size;
  const { mapping, base, bytes: arena } = mapPresent(total);
  const starts = new Map<string, number>();
  const guards = new Map<string, number>();
  image.segments.forEach((s, i) => {
    arena.set(s.bytes.subarray(0, lengths[i]), layout.segments[i]);
    starts.set(s.name, layout.segments[i]);
    if (placement === 'page-end') guards.set(s.name, layout.guards[i]);
  });
  const hostWriter = new ByteWriter(arena, host.endian, host.types.pointer[0] as 4 | 8);
  for (const f of image.fixups) {
    const from = starts.get(f.segment)! + f.offset;
    // A fixup that fell off a truncated segment is simply not there any more.
    if (f.offset + f.width > lengths[image.segments.findIndex((s) => s.name === f.segment)]) continue;
    hostWriter.uint(from, f.width, base + BigInt(starts.get(f.to)!));
  }
  for (const g of layout.guards) guardPage(base + BigInt(g));
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
    guard(segment) {
      need(segment);
      const g = guards.get(segment);
      if (g === undefined) throw new InputError(`a ${placement} image has no guard pages`);
      return base + BigInt(g);
    },
    reserved: layout.reserved === null ? null : base + BigInt(layout.reserved),
    placement,
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
