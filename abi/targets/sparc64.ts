import type { TargetAbi } from '../../src/ctype/target.js';

// sparc_clone() reads ptid from %i2, tls from %i3, ctid from %i4 (arch/sparc/kernel/process.c).
export const target: TargetAbi = {
  id: 'sparc64',
  title: 'SPARC64 (LP64, big-endian)',
  endian: 'big',
  charSigned: true,
  registerBits: 64,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [8, 8], 'long long': [8, 8], pointer: [8, 8], double: [8, 8], 'long double': [16, 16] },
  syscall: { numberRegister: 'g1', argumentRegisters: ['o0', 'o1', 'o2', 'o3', 'o4', 'o5'], stackArguments: 0, arg64: 'single' },
  cloneArgOrder: 'ptid-tls-ctid',
  pageSize: 8192,
  oracle: { compiler: 'clang', args: ['--target=sparc64-linux-gnu'] },
};
