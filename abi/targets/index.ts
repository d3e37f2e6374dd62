/** The target registry: one file per ABI, one line here. */
import type { TargetAbi } from '../../src/ctype/target.js';
import { target as x86_64 } from './x86_64.js';
import { target as i386 } from './i386.js';
import { target as x32 } from './x32.js';
import { target as aarch64 } from './aarch64.js';
import { target as arm } from './arm.js';
import { target as ppc32 } from './ppc32.js';
import { target as ppc64 } from './ppc64.js';
import { target as ppc64le } from './ppc64le.js';
import { target as s390x } from './s390x.js';
import { target as mipsO32 } from './mips-o32.js';
import { target as mipsN64 } from './mips-n64.js';
import { target as riscv64 } from './riscv64.js';
import { target as m68k } from './m68k.js';
import { target as sparc64 } from './sparc64.js';

export const TARGETS: readonly TargetAbi[] = [x86_64, i386, x32, aarch64, arm, ppc32, ppc64, ppc64le, s390x, mipsO32, mipsN64, riscv64, m68k, sparc64];
