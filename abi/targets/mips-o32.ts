import type { TargetAbi } from '../../src/ctype/target.js';

// o32 passes four arguments in registers, arguments 5-8 on the user stack, and 64-bit
// values in aligned pairs (a0:a1 or a2:a3).
export const target: TargetAbi = {
  id: 'mips-o32',
  title: 'MIPS o32 (ILP32, big-endian)',
  endian: 'big',
  charSigned: true,
  registerBits: 32,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [4, 4], 'long long': [8, 8], pointer: [4, 4], double: [8, 8], 'long double': [8, 8] },
  syscall: { numberRegister: 'v0', argumentRegisters: ['a0', 'a1', 'a2', 'a3'], stackArguments: 4, arg64: 'even-pair' },
  cloneArgOrder: 'ptid-tls-ctid',
  compatOf: 'mips-n64',
  pageSize: 4096,
  oracle: { compiler: 'clang', args: ['--target=mips-linux-gnu'] },
};
