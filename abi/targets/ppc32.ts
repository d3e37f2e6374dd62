import type { TargetAbi } from '../../src/ctype/target.js';

export const target: TargetAbi = {
  id: 'ppc32',
  title: 'PowerPC 32-bit (ILP32, big-endian)',
  endian: 'big',
  charSigned: false,
  registerBits: 32,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [4, 4], 'long long': [8, 8], pointer: [4, 4], double: [8, 8], 'long double': [16, 16] },
  syscall: { numberRegister: 'r0', argumentRegisters: ['r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'], stackArguments: 0, arg64: 'even-pair' },
  cloneArgOrder: 'ptid-tls-ctid',
  compatOf: 'ppc64',
  pageSize: 4096,
  oracle: { compiler: 'clang', args: ['--target=powerpc-linux-gnu'] },
};
