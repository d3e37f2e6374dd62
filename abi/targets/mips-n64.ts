import type { TargetAbi } from '../../src/ctype/target.js';

export const target: TargetAbi = {
  id: 'mips-n64',
  title: 'MIPS n64 (LP64, big-endian)',
  endian: 'big',
  charSigned: true,
  registerBits: 64,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [8, 8], 'long long': [8, 8], pointer: [8, 8], double: [8, 8], 'long double': [16, 16] },
  syscall: { numberRegister: 'v0', argumentRegisters: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'], stackArguments: 0, arg64: 'single' },
  cloneArgOrder: 'ptid-tls-ctid',
  pageSize: 4096,
  oracle: { compiler: 'clang', args: ['--target=mips64-linux-gnuabi64'] },
};
