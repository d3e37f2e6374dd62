/** The few libc calls clonebench makes from JavaScript (through koffi): mapping, protecting and
 * unmapping the memory user images live in. Loaded once per process. */
import koffi from 'koffi';

export const PROT_NONE = 0;
export const PROT_READ_WRITE = 0x1 | 0x2;
export const MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
const MAP_FAILED = BigInt.asUintN(64, -1n);

export interface Libc {
  mmap: (addr: null, len: number, prot: number, flags: number, fd: number, off: number) => unknown;
  mprotect: (addr: unknown, len: number, prot: number) => number;
  munmap: (addr: unknown, len: number) => number;
  pageSize: number;
}

let libc: Libc | undefined;

export function loadLibc(): Libc {
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

/** An anonymous read-write mapping of `size` bytes, every page written (present, private: an
 * untouched page is the shared zero page, which copies at another cost than a caller's memory). */
export function mapPresent(size: number): { mapping: unknown; base: bigint; bytes: Uint8Array } {
  const c = loadLibc();
  const mapping = c.mmap(null, size, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
  const base = koffi.address(mapping) as bigint;
  if (base === MAP_FAILED || base === 0n) throw new Error(`mmap of ${size} bytes failed`);
  const bytes = new Uint8Array(koffi.view(mapping, size));
  bytes.fill(0);
  return { mapping, base, bytes };
}

/** Makes the page at `address` PROT_NONE (a guard: any access faults, no page-table entry). */
export function guardPage(address: bigint): void {
  const c = loadLibc();
  if (c.mprotect(koffi.as(address, 'void *'), c.pageSize, PROT_NONE) !== 0) throw new Error('mprotect failed for a guard page');
}
