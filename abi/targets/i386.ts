import type { TargetAbi } from '../../src/ctype/target.js';

// 64-bit members get 4-byte alignment inside structs (GCC's __alignof__ says 8: the
// "preferred" alignment, which is not what struct layout uses).
export const target: TargetAbi = {
  id: 'i386',
  title: 'x86-32 (ILP32)',
  endian: 'little',
  charSigned: true,
  registerBits: 32,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [4, 4], 'long long': [8, 4], pointer: [4, 4], double: [8, 4], 'long double': [12, 4] },
  syscall: { numberRegister: 'eax', argumentRegisters: ['ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'], stackArguments: 0, arg64: 'pair' },
  cloneArgOrder: 'ptid-tls-ctid',
  compatOf: 'x86_64',
  pageSize: 4096,
  oracle: { compiler: 'gcc', args: ['-m32'] },
  nodeArch: 'ia32',
};
