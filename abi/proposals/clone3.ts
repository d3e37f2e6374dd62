import type { ProposalDecl } from '../../src/proposal/types.js';
import type { Encoder } from '../../src/encode/types.js';
import { EncodeRefusal } from '../../src/encode/types.js';
import { ImageBuilder } from '../../src/encode/builder.js';
import { addr, val } from '../../src/encode/flagwords.js';
import { CLONE_FLAGS } from '../../src/proposal/flags.js';

const since = (version: string, zeroMeans: string) => ({ since: version, zeroMeans });

export const declaration: ProposalDecl = {
  id: 'clone3',
  title: 'clone3() (merged in 5.3; set_tid in 5.5; cgroup in 5.7)',
  summary: 'One size-versioned struct of __aligned_u64 fields, identical on every ABI; set_tid lists pids innermost first.',
  source: 'include/uapi/linux/sched.h struct clone_args; kernel/fork.c copy_clone_args_from_user, clone3_args_valid',
  structs: [
    {
      name: 'clone_args',
      doc: 'all members __aligned_u64; pointers are carried as u64 (u64_to_user_ptr)',
      fields: [
        { name: 'flags', type: '__aligned_u64', doc: 'flags, bits above 31 allowed (CLONE_CLEAR_SIGHAND = 1 << 32)' },
        { name: 'pidfd', type: '__aligned_u64', doc: 'where to store the pidfd (CLONE_PIDFD)' },
        { name: 'child_tid', type: '__aligned_u64' },
        { name: 'parent_tid', type: '__aligned_u64' },
        { name: 'exit_signal', type: '__aligned_u64', doc: 'upper bits must be clear (CSIGNAL only)' },
        { name: 'stack', type: '__aligned_u64', doc: 'lowest address of the stack' },
        { name: 'stack_size', type: '__aligned_u64' },
        { name: 'tls', type: '__aligned_u64' },
        { name: 'set_tid', type: '__aligned_u64', ...since('CLONE_ARGS_SIZE_VER1', 'no pid chosen') , doc: 'pid_t array, set_tid[0] = innermost namespace' },
        { name: 'set_tid_size', type: '__aligned_u64', ...since('CLONE_ARGS_SIZE_VER1', 'no pid chosen') },
        { name: 'cgroup', type: '__aligned_u64', ...since('CLONE_ARGS_SIZE_VER2', 'the parent\'s cgroup (only read with CLONE_INTO_CGROUP)') },
      ],
    },
  ],
  rootStruct: 'clone_args',
  syscall: {
    name: 'clone3',
    args: [
      { name: 'uargs', type: 'struct clone_args *' },
      { name: 'size', type: 'size_t', doc: 'sizeof the caller\'s struct clone_args: CLONE_ARGS_SIZE_VER0..2 or larger with a zero tail' },
    ],
    returns: 'pid_t',
    numbers: { x86_64: 435, i386: 435, x32: 435, aarch64: 435, arm: 435, riscv64: 435, s390x: 435, ppc32: 435, ppc64: 435, ppc64le: 435, m68k: 435, 'mips-o32': 4435, 'mips-n64': 5435, sparc64: 435 },
  },
  semantics: {
    status: 'merged',
    when: 'Linux 5.3 (2019); set_tid 5.5; CLONE_INTO_CGROUP 5.7',
    flags: [{ where: 'memory', name: 'clone_args.flags', type: '__aligned_u64', count: 1 }],
    rejectsUnknownFlags: true,
    rejectsUnknownFlagsNote: 'clone3_args_valid() rejects bits outside CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP, and the CSIGNAL and CLONE_DETACHED bits',
    pids: { order: 'innermost-first', levelsOf: 'child', maxPids: 32, takenErrno: 'EEXIST' },
    sizeVersioning: {
      sizeArg: 'size',
      struct: 'clone_args',
      rule: 'copy-struct-from-user',
      versions: [
        { name: 'CLONE_ARGS_SIZE_VER0', size: 64 },
        { name: 'CLONE_ARGS_SIZE_VER1', size: 80 },
        { name: 'CLONE_ARGS_SIZE_VER2', size: 88 },
      ],
      maxSize: 'PAGE_SIZE',
    },
    copies: { empty: 1, full: 2, note: 'the struct (min(size, 88) bytes, plus a zero check of any tail), then set_tid_size * 4 bytes' },
    errors: [
      { errno: 'E2BIG', when: 'size > PAGE_SIZE' },
      { errno: 'EINVAL', when: 'size < CLONE_ARGS_SIZE_VER0 (64)' },
      { errno: 'E2BIG', when: 'a non-zero byte in [88, size)' },
      { errno: 'EFAULT', when: 'the struct or its tail unreadable' },
      { errno: 'EINVAL', when: 'set_tid_size > 32, set_tid NULL with a size, or set_tid with size 0' },
      { errno: 'EINVAL', when: 'exit_signal with bits above CSIGNAL or not a valid signal' },
      { errno: 'EINVAL', when: 'CLONE_INTO_CGROUP with cgroup > INT_MAX or size < VER2' },
      { errno: 'EFAULT', when: 'set_tid unreadable (copied before any flag check)' },
      { errno: 'EINVAL', when: 'unknown flag bits, CLONE_DETACHED or CSIGNAL bits in flags' },
      { errno: 'EINVAL', when: 'CLONE_THREAD or CLONE_PARENT with a non-zero exit_signal; stack without stack_size or the reverse' },
      { errno: 'EINVAL', when: 'set_tid_size greater than the child\'s level + 1; a pid < 1 or >= pid_max; a pid other than 1 in a namespace without init' },
      { errno: 'EPERM', when: 'no CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (5.9+) over a namespace whose pid is chosen' },
      { errno: 'EEXIST', when: 'a chosen pid is taken' },
    ],
    arrays: [{ pointer: 'clone_args.set_tid', count: 'clone_args.set_tid_size', element: 'pid_t' }],
    privilege: 'CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (5.9+) in the user namespace owning each pid namespace',
    advisory: {
      'SC-01': 'process creation needs a syscall; clone3 replaced the flag-bit-starved clone',
      'SC-11': 'CLONE_PIDFD returns a pidfd, a file descriptor, rather than a new kind of handle',
      'SC-12': 'the pidfd is always close-on-exec (no flag needed; O_CLOEXEC is implied)',
      'SC-15': 'CAP_CHECKPOINT_RESTORE (5.9) narrowed set_tid\'s CAP_SYS_ADMIN requirement',
      'SC-26': 'wired on every architecture as syscall 435 (asm-generic), with a selftest in tools/testing/selftests/clone3/',
      'SC-28': 'shares kernel_clone() with fork, vfork and clone',
    },
  },
};

// ---- encoder: the smallest struct version that holds the request; set_tid innermost first ----

export const encoder: Encoder = {
  id: 'clone3',
  capacity: () => ({
    flagBits: 64,
    lowByteIsExitSignal: false,
    flagLimit: 'clone_args.flags is one __aligned_u64',
    carries: { stackSize: true, tls: true, cgroup: true },
  }),
  build(req, target, rp, pids, options) {
    const versions = rp.decl.semantics.sizeVersioning!.versions;
    const sizeOf = (name: string) => versions.find((v) => v.name === name)!.size;
    const wantsCgroup = req.cgroup !== 0n || (req.flags & CLONE_FLAGS.CLONE_INTO_CGROUP) !== 0n;
    const needed = wantsCgroup ? sizeOf('CLONE_ARGS_SIZE_VER2') : pids.length > 0 ? sizeOf('CLONE_ARGS_SIZE_VER1') : sizeOf('CLONE_ARGS_SIZE_VER0');
    const size = options.structSize ?? needed;
    if (size < needed) throw new EncodeRefusal('clone3', `size ${size}`, `the request needs struct clone_args of at least ${needed} bytes`);
    // Beyond a page the kernel answers E2BIG before copying anything: no plan to show.
    if (rp.decl.semantics.sizeVersioning?.maxSize === 'PAGE_SIZE' && size > target.pageSize)
      throw new EncodeRefusal('clone3', `size ${size}`, `size is above PAGE_SIZE (${target.pageSize} on ${target.id}): the kernel returns E2BIG before any copy`);
    const known = new ImageBuilder(rp, target);
    const args = known.struct('clone_args', 'clone_args', size);
    args
      .set('flags', req.flags)
      .set('child_tid', req.childTid)
      .set('parent_tid', req.parentTid)
      .set('exit_signal', req.exitSignal)
      .set('stack', req.stack)
      .set('stack_size', req.stackSize)
      .set('tls', req.tls);
    if (pids.length > 0) args.point('set_tid', 'set_tid').set('set_tid_size', pids.length);
    if (size >= sizeOf('CLONE_ARGS_SIZE_VER2')) args.set('cgroup', req.cgroup);
    const kernelSize = sizeOf('CLONE_ARGS_SIZE_VER2');
    if (size > kernelSize) known.read('clone_args', kernelSize, size - kernelSize, 'copy_struct_from_user: the tail beyond the kernel\'s struct must be zero', 'zero-check');
    known.read('clone_args', 0, Math.min(size, kernelSize), 'copy_struct_from_user: min(size, sizeof) bytes');
    if (pids.length > 0) {
      known.words32('set_tid', 'pid_t', pids, true);
      known.read('set_tid', 0, pids.length * 4, 'set_tid_size * sizeof(pid_t), innermost level first (before any flag check)');
    }
    known.call(rp.decl.syscall, { uargs: addr('clone_args'), size: val(size) }, 'create the child');
    return known.image();
  },
};

