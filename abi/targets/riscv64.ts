import type { TargetAbi } from '../../src/ctype/target.js';

export const target: TargetAbi = {
  id: 'riscv64',
  title: 'RISC-V 64 (LP64D)',
  endian: 'little',
  charSigned: false,
  registerBits: 64,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [8, 8], 'long long': [8, 8], pointer: [8, 8], double: [8, 8], 'long double': [16, 16] },
  syscall: { numberRegister: 'a7', argumentRegisters: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'], stackArguments: 0, arg64: 'single' },
  cloneArgOrder: 'ptid-tls-ctid',
  pageSize: 4096,
  oracle: { compiler: 'clang', args: ['--target=riscv64-linux-gnu'] },
  nodeArch: 'riscv64',
};
