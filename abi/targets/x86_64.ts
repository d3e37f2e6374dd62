import type { TargetAbi } from '../../src/ctype/target.js';

export const target: TargetAbi = {
  id: 'x86_64',
  title: 'x86-64 (LP64)',
  endian: 'little',
  charSigned: true,
  registerBits: 64,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [8, 8], 'long long': [8, 8], pointer: [8, 8], double: [8, 8], 'long double': [16, 16] },
  syscall: { numberRegister: 'rax', argumentRegisters: ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'], stackArguments: 0, arg64: 'single' },
  cloneArgOrder: 'ptid-ctid-tls',
  pageSize: 4096,
  oracle: { compiler: 'gcc', args: ['-m64'] },
  nodeArch: 'x64',
};
