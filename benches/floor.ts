import type { SuiteDecl } from '../src/measure/types.js';

/** The floor: what the harness itself costs, and the cheapest syscalls next to it. */
export const floorSuite: SuiteDecl = {
  name: 'floor',
  description: 'harness loop overhead, a null syscall, and clone3 failing before any copy',
  defaults: { rounds: 300, warmupRounds: 10, targetBatchMs: 2, workers: 6 },
  quick: { rounds: 40, warmupRounds: 3, targetBatchMs: 1, workers: 2 },
  variants: [
    { id: 'floor/empty', description: 'empty batch: harness loop overhead per iteration', spec: { kind: 'empty' } },
    { id: 'floor/getppid', description: 'glibc getppid(): the null syscall as perf bench syscall basic and lmbench time it', spec: { kind: 'getppid' } },
    {
      id: 'floor/getppid-raw',
      description: 'getppid by an inline syscall instruction (the clone3 probes call the kernel this way)',
      spec: { kind: 'getppid-raw' },
    },
    {
      id: 'floor/clone3-nocopy',
      description: 'clone3(args, 0): EINVAL on the size check, nothing copied',
      spec: { kind: 'clone3-probe', structSize: 0, setTidCount: 0 },
    },
  ],
  fits: [],
};
