/** Names a reader knows, for the codes the results file stores (tables, not branches). */

export const SHAPE_LABELS: Readonly<Record<string, string>> = {
  thread: 'thread-like',
  vfork: 'vfork-like',
  fork: 'fork-like',
  newpid: 'CLONE_NEWPID',
};

export const WHERE_LABELS: Readonly<Record<string, string>> = {
  node: 'Node parent',
  helper: 'small C parent',
  'pidns-init': 'pid-namespace init',
};

export const VIA_LABELS: Readonly<Record<string, string>> = {
  legacy: 'clone',
  clone3: 'clone3',
};

export const PID_METHOD_LABELS: Readonly<Record<string, string>> = {
  plain: 'plain clone3',
  set_tid: 'clone3 set_tid',
  ns_last_pid: 'ns_last_pid (pwrite)',
  'ns_last_pid-open': 'ns_last_pid (open/write/close)',
};

/** The floor suite's probes by spec kind. */
export const FLOOR_LABELS: Readonly<Record<string, string>> = {
  empty: 'empty batch (loop overhead)',
  getppid: 'getppid() via glibc',
  'getppid-raw': 'getppid by inline syscall',
  'clone3-probe': 'clone3(args, 0): no copy',
};

/** The names of the environment fields whose difference between two runs matters. */
export const ENVIRONMENT_IDENTITY_LABELS: Readonly<Record<string, string>> = {
  kernelRelease: 'kernel',
  kernelVersion: 'kernel build',
  arch: 'architecture',
  cpuModel: 'CPU model',
  cores: 'cores',
  virtualisation: 'virtualisation',
  clockSource: 'clock source',
  governor: 'CPU governor',
  nodeVersion: 'Node',
  koffiVersion: 'koffi',
  compiler: 'harness compiler',
  compileFlags: 'harness compile flags',
  uid: 'uid (privilege)',
  pinnedCpu: 'pinned CPU',
};

/** `empty`, `pids@4`: the request names of the proposals suite. */
export const requestName = (levels: number): string => (levels === 0 ? 'empty' : `pids@${levels}`);

export const label = (table: Readonly<Record<string, string>>, code: string): string => table[code] ?? code;
