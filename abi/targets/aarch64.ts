import type { TargetAbi } from '../../src/ctype/target.js';

export const target: TargetAbi = {
  id: 'aarch64',
  title: 'arm64 (LP64)',
  endian: 'little',
  charSigned: false,
  registerBits: 64,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [8, 8], 'long long': [8, 8], pointer: [8, 8], double: [8, 8], 'long double': [16, 16] },
  syscall: { numberRegister: 'x8', argumentRegisters: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'], stackArguments: 0, arg64: 'single' },
  cloneArgOrder: 'ptid-tls-ctid',
  pageSize: 4096,
  oracle: { compiler: 'clang', args: ['--target=aarch64-linux-gnu'] },
  nodeArch: 'arm64',
};
