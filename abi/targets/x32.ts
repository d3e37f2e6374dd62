import type { TargetAbi } from '../../src/ctype/target.js';

// ILP32 data model on the x86-64 instruction set: 32-bit pointers and long, but 64-bit
// registers, so a 64-bit scalar argument still fits one register (syscall(2)).
export const target: TargetAbi = {
  id: 'x32',
  title: 'x86-64 x32 (ILP32 on 64-bit registers)',
  endian: 'little',
  charSigned: true,
  registerBits: 64,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [4, 4], 'long long': [8, 8], pointer: [4, 4], double: [8, 8], 'long double': [16, 16] },
  syscall: { numberRegister: 'rax', argumentRegisters: ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'], stackArguments: 0, arg64: 'single' },
  cloneArgOrder: 'ptid-ctid-tls',
  compatOf: 'x86_64',
  usesNativeEntryWhenCompatFree: true,
  pageSize: 4096,
  oracle: { compiler: 'gcc', args: ['-mx32'] },
};
