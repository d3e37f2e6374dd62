import type { TargetAbi } from '../../src/ctype/target.js';

// Everything of 2 bytes or more is 2-aligned in structs, so struct alignment is at most 2
// (unless __aligned_u64 asks for 8). clang's m68k layout is wrong: the oracle is GCC.
export const target: TargetAbi = {
  id: 'm68k',
  title: 'm68k (ILP32, big-endian, 2-byte alignment)',
  endian: 'big',
  charSigned: true,
  registerBits: 32,
  types: { char: [1, 1], short: [2, 2], int: [4, 2], long: [4, 2], 'long long': [8, 2], pointer: [4, 2], double: [8, 2], 'long double': [12, 2] },
  syscall: { numberRegister: 'd0', argumentRegisters: ['d1', 'd2', 'd3', 'd4', 'd5', 'a0'], stackArguments: 0, arg64: 'pair' },
  cloneArgOrder: 'ptid-ctid-tls',
  pageSize: 4096,
  oracle: { compiler: 'm68k-linux-gnu-gcc', args: [], note: "clang's m68k target uses 4/8-byte alignment, not the Linux/m68k ABI" },
};
