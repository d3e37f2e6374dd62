import type { TargetAbi } from '../../src/ctype/target.js';

export const target: TargetAbi = {
  id: 'ppc64le',
  title: 'PowerPC 64-bit ELFv2 (LP64, little-endian)',
  endian: 'little',
  charSigned: false,
  registerBits: 64,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [8, 8], 'long long': [8, 8], pointer: [8, 8], double: [8, 8], 'long double': [16, 16] },
  syscall: { numberRegister: 'r0', argumentRegisters: ['r3', 'r4', 'r5', 'r6', 'r7', 'r8'], stackArguments: 0, arg64: 'single' },
  cloneArgOrder: 'ptid-tls-ctid',
  pageSize: 65536,
  oracle: { compiler: 'clang', args: ['--target=powerpc64le-linux-gnu'] },
};
