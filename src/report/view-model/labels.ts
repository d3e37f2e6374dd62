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
  cpuId: 'CPU id (vendor, family, model, stepping)',
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

/** The CPU flags the results record: `short` are named beside every figure (PTI makes each
 * syscall dearer and PCID softens it; FSRM and ERMS decide how copy_from_user copies short
 * runs), `all` adds invpcid for the full table. */
export const CPU_FLAGS = {
  short: ['pti', 'pcid', 'fsrm', 'erms'],
  all: ['pti', 'pcid', 'invpcid', 'fsrm', 'erms'],
} as const;

/** The placements' meaning in a few words, for captions and headers. */
export const PLACEMENT_LABELS: Readonly<Record<string, string>> = {
  'co-located': 'co-located (as a caller lays it out)',
  scattered: 'scattered (a page per segment)',
  'page-end': 'page-end (adversarial)',
};

/** The x axis of a copy model's chart: the term it is drawn against. */
export const AXIS_TITLES: Readonly<Record<string, string>> = {
  'copy/struct-tail-fit:byte': 'tail bytes beyond 88, checked for zero',
  byte: 'bytes copied',
  page: 'pages touched beyond the probe struct\'s own',
};

/** Short names of the copy models (fit ids), for headings and key figures. */
export const FIT_LABELS: Readonly<Record<string, string>> = {
  'copy/model-caller': 'caller model (co-located, scattered)',
  'copy/model-page-end': 'page-end model',
  'copy/struct-tail-fit': 'struct path',
};
