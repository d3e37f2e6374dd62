/**
 * A target ABI: the C facts that decide struct layout and syscall argument passing.
 * Pure data; one file per ABI in abi/targets/. Sources: ../shared/docs/abi-rules.md §3.
 */

/** The C base types whose size and in-struct alignment differ between ABIs. */
export const BASE_TYPES = ['char', 'short', 'int', 'long', 'long long', 'pointer', 'double', 'long double'] as const;
export type BaseType = (typeof BASE_TYPES)[number];

/** [size, in-struct alignment] in bytes: the alignment is offsetof(struct { char c; T x; }, x). */
export type SizeAlign = readonly [size: number, align: number];

/**
 * How a 64-bit scalar syscall argument travels:
 * - `single`: in one 64-bit register;
 * - `pair`: in two consecutive 32-bit slots;
 * - `even-pair`: in an aligned register pair, so an odd slot before it is wasted (SC-16).
 */
export type Arg64Passing = 'single' | 'pair' | 'even-pair';

/** Legacy clone argument order after `flags, stack` (interfaces.md §1). */
export type CloneArgOrder = 'ptid-ctid-tls' | 'ptid-tls-ctid' | 'stack-first';

export interface TargetAbi {
  id: string;
  title: string;
  endian: 'little' | 'big';
  charSigned: boolean;
  /** Width of a general register, and so of `long` in syscall arguments. */
  registerBits: 32 | 64;
  types: Readonly<Record<BaseType, SizeAlign>>;
  syscall: {
    /** The syscall number register and the argument registers, in order (syscall(2)). */
    numberRegister: string;
    argumentRegisters: readonly string[];
    /** Arguments beyond the registers go on the user stack (MIPS o32: args 5-8). */
    stackArguments: number;
    arg64: Arg64Passing;
  };
  cloneArgOrder: CloneArgOrder;
  /** The 64-bit kernel that runs this ABI through its compat layer, if any (SC-18). */
  compatOf?: string;
  /** x32 style: 32-bit pointers but 64-bit registers; can reuse the 64-bit entry (SC-25). */
  usesNativeEntryWhenCompatFree?: boolean;
  pageSize: number;
  /** How a real compiler is asked for this ABI's layout (the oracle in the tests). */
  oracle: { compiler: string; args: readonly string[]; note?: string };
  /** Node's process.arch on this ABI, if Node runs there (to find the host target). */
  nodeArch?: string;
}
