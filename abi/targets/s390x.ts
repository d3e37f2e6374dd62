import type { TargetAbi } from '../../src/ctype/target.js';

// s390 swaps the first two clone arguments (CLONE_BACKWARDS2: stack, flags, ...).
export const target: TargetAbi = {
  id: 's390x',
  title: 's390x (LP64, big-endian)',
  endian: 'big',
  charSigned: false,
  registerBits: 64,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [8, 8], 'long long': [8, 8], pointer: [8, 8], double: [8, 8], 'long double': [16, 8] },
  syscall: { numberRegister: 'r1', argumentRegisters: ['r2', 'r3', 'r4', 'r5', 'r6', 'r7'], stackArguments: 0, arg64: 'single' },
  cloneArgOrder: 'stack-first',
  pageSize: 4096,
  oracle: { compiler: 'clang', args: ['--target=s390x-linux-gnu'] },
  nodeArch: 's390x',
};
