import type { TargetAbi } from '../../src/ctype/target.js';

// ARM EABI: 64-bit values are 8-aligned in structs and passed in even register pairs.
export const target: TargetAbi = {
  id: 'arm',
  title: 'ARM EABI (ILP32)',
  endian: 'little',
  charSigned: false,
  registerBits: 32,
  types: { char: [1, 1], short: [2, 2], int: [4, 4], long: [4, 4], 'long long': [8, 8], pointer: [4, 4], double: [8, 8], 'long double': [8, 8] },
  syscall: { numberRegister: 'r7', argumentRegisters: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6'], stackArguments: 0, arg64: 'even-pair' },
  cloneArgOrder: 'ptid-tls-ctid',
  compatOf: 'aarch64',
  pageSize: 4096,
  oracle: { compiler: 'clang', args: ['--target=armv7a-linux-gnueabihf'] },
  nodeArch: 'arm',
};
