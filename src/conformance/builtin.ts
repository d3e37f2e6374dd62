/**
 * The built-in conformance table: every check of clone3 in interfaces.md section 6, in the
 * kernel's order, with the orders that decide which error wins (size before anything is read,
 * the tail before flags, set_tid copied before flags are checked, range before privilege),
 * then each emulated interface's own checks (sections 2-5) through its decoder and the
 * lowering. Rows are data in the case-file format and go through the same validation.
 *
 * "$free" is a pid the runner finds unused at that level; levels >= 1 are namespaces of the
 * run's own, where only the chain's inits live (pid 1 at each level, 2.. for the inits below),
 * so pid 1 there is always taken. uid 65534 rows run as that user: at depth 0 without a user
 * namespace, deeper inside one of its own, which owns every level but 0.
 */
import { checkCase, type ConformanceCase, type RawCase } from './case.js';

/** Rows whose answer depends on the kernel's page size take it as a parameter. */
export function builtinRows(pageSize: number): RawCase[] {
  const big = pageSize + 1;
  return [
    // 1. size, before anything is copied
    { name: 'size above PAGE_SIZE', size: big, expect: 'E2BIG', why: 'size > PAGE_SIZE -> E2BIG' },
    { name: 'size 2^64-1', size: '0xffffffffffffffff', expect: 'E2BIG' },
    { name: 'size 63, below VER0', size: 63, expect: 'EINVAL', why: 'size < 64 -> EINVAL' },
    { name: 'size 0', size: 0, expect: 'EINVAL' },
    { name: 'size above PAGE_SIZE wins over an unreadable struct', size: big, fault: 'args', expect: 'E2BIG', why: 'nothing is read before the size check' },
    { name: 'size 56 wins over an unreadable struct', size: 56, fault: 'args', expect: 'EINVAL', why: 'nothing is read before the size check' },
    { name: 'size wins over an unknown flag', size: big, flags: ['bit63'], expect: 'E2BIG', why: 'size before flags' },
    // 2. copy_struct_from_user
    { name: 'size VER0 (64): bytes 64.. are not read', size: 64, fields: { set_tid_size: 40, cgroup: '0xffffffffffffffff' }, expect: 'ok', why: 'an older struct is zero-filled' },
    { name: 'size VER1 (80), set_tid of one level', size: 80, depth: 1, set_tid: ['$free'], expect: 'ok' },
    { name: 'size 96 with a zero tail', size: 96, expect: 'ok', why: 'a newer struct is accepted when its tail is zero' },
    { name: 'size PAGE_SIZE with a zero tail', size: pageSize, expect: 'ok' },
    { name: 'size 96, byte 95 non-zero', size: 96, tail: { 95: 1 }, expect: 'E2BIG', why: 'a non-zero byte in [88, size) -> E2BIG' },
    { name: 'size PAGE_SIZE, last byte non-zero', size: pageSize, tail: { [pageSize - 1]: 0x80 }, expect: 'E2BIG' },
    { name: 'non-zero tail wins over an unknown flag', size: 96, tail: { 88: 1 }, flags: ['bit63'], expect: 'E2BIG', why: 'the tail is checked during the copy, before flags' },
    { name: 'unreadable tail', size: 200, fault: 'tail', expect: 'EFAULT' },
    { name: 'unreadable struct', size: 88, fault: 'args', expect: 'EFAULT' },
    // 3. set_tid sizes, exit_signal, CLONE_INTO_CGROUP
    { name: 'set_tid_size 33', depth: 1, set_tid: ['$free'], set_tid_size: 33, expect: 'EINVAL', why: 'set_tid_size > 32 -> EINVAL' },
    { name: 'set_tid NULL with set_tid_size 1', set_tid_size: 1, expect: 'EINVAL' },
    { name: 'set_tid with set_tid_size 0', set_tid: ['$free'], set_tid_size: 0, expect: 'EINVAL' },
    { name: 'exit_signal with high bits', exit_signal: '0xbadc0ded00000000', expect: 'EINVAL', why: 'bits above CSIGNAL -> EINVAL' },
    { name: 'exit_signal 0x100', exit_signal: '0x100', expect: 'EINVAL' },
    { name: 'exit_signal 65, above _NSIG', exit_signal: 65, expect: 'EINVAL', why: 'not a valid signal -> EINVAL' },
    { name: 'exit_signal 64 (_NSIG, still valid)', exit_signal: 64, expect: 'ok' },
    { name: 'exit_signal 0', exit_signal: 0, expect: 'ok' },
    { name: 'CLONE_INTO_CGROUP with cgroup above INT_MAX', flags: ['CLONE_INTO_CGROUP'], fields: { cgroup: '0x80000000' }, expect: 'EINVAL' },
    { name: 'CLONE_INTO_CGROUP with size 80', size: 80, flags: ['CLONE_INTO_CGROUP'], expect: 'EINVAL' },
    // 4. set_tid is copied here, before any flag check
    { name: 'unreadable set_tid', depth: 1, set_tid: ['$free'], fault: 'set_tid', expect: 'EFAULT' },
    { name: 'unreadable set_tid wins over an unknown flag', depth: 1, set_tid: ['$free'], fault: 'set_tid', flags: ['bit63'], expect: 'EFAULT', why: 'set_tid copied before flags are checked' },
    { name: 'readable set_tid with an unknown flag', depth: 1, set_tid: ['$free'], flags: ['bit63'], expect: 'EINVAL' },
    // 5. flags (clone3_args_valid)
    { name: 'unknown flag bit 63', flags: ['bit63'], expect: 'EINVAL' },
    { name: 'unknown flag bit 40', flags: ['bit40'], expect: 'EINVAL' },
    { name: 'CLONE_DETACHED', flags: ['CLONE_DETACHED'], expect: 'EINVAL' },
    { name: 'CSIGNAL bits in flags (0x11)', flags: [0x11], exit_signal: 0, expect: 'EINVAL' },
    { name: 'CLONE_NEWTIME, bit 7 inside CSIGNAL', flags: ['CLONE_NEWTIME'], kernel: '>=6.3', expect: 'ok', why: 'allowed since 6.3' },
    { name: 'CLONE_SIGHAND with CLONE_CLEAR_SIGHAND', flags: ['CLONE_VM', 'CLONE_SIGHAND', 'CLONE_CLEAR_SIGHAND'], expect: 'EINVAL' },
    { name: 'CLONE_VM|CLONE_SIGHAND without CLONE_CLEAR_SIGHAND', flags: ['CLONE_VM', 'CLONE_SIGHAND'], expect: 'ok' },
    { name: 'CLONE_CLEAR_SIGHAND alone', flags: ['CLONE_CLEAR_SIGHAND'], expect: 'ok' },
    { name: 'CLONE_THREAD with an exit signal', flags: ['CLONE_VM', 'CLONE_SIGHAND', 'CLONE_THREAD'], exit_signal: 'SIGCHLD', expect: 'EINVAL' },
    { name: 'CLONE_PARENT with an exit signal', flags: ['CLONE_PARENT'], exit_signal: 'SIGCHLD', expect: 'EINVAL' },
    { name: 'stack without stack_size', fields: { stack: '0x10000' }, expect: 'EINVAL' },
    { name: 'stack_size without stack', fields: { stack_size: 4096 }, expect: 'EINVAL' },
    { name: 'stack outside user memory', fields: { stack: '0xffff800000000000', stack_size: 4096 }, expect: 'EINVAL' },
    { name: 'stack and stack_size in user memory', fields: { stack: '0x10000', stack_size: 4096 }, expect: 'ok' },
    // 6. copy_process
    { name: 'CLONE_SIGHAND without CLONE_VM', flags: ['CLONE_SIGHAND'], expect: 'EINVAL' },
    { name: 'CLONE_THREAD without CLONE_SIGHAND', flags: ['CLONE_VM', 'CLONE_THREAD'], exit_signal: 0, expect: 'EINVAL' },
    { name: 'CLONE_FS with CLONE_NEWNS', flags: ['CLONE_FS', 'CLONE_NEWNS'], expect: 'EINVAL' },
    { name: 'CLONE_PARENT from a pid namespace\'s init', depth: 1, flags: ['CLONE_PARENT'], exit_signal: 0, expect: 'EINVAL' },
    { name: 'CLONE_NEWPID unprivileged', uid: 65534, flags: ['CLONE_NEWPID'], expect: 'EPERM', why: 'namespaces need privilege' },
    { name: 'CLONE_NEWPID below MAX_PID_NS_LEVEL (caller at 32)', depth: 32, flags: ['CLONE_NEWPID'], expect: 'ENOSPC', why: 'create_pid_namespace: level > MAX_PID_NS_LEVEL' },
    { name: 'CLONE_NEWUSER|CLONE_NEWPID unprivileged', uid: 65534, flags: ['CLONE_NEWUSER', 'CLONE_NEWPID'], expect: 'ok', why: 'the new user namespace owns the new pid namespace' },
    // set_tid (alloc_pid)
    { name: 'set_tid at the caller\'s level and ours, depth 1', depth: 1, set_tid: ['$free', '$free'], expect: 'ok' },
    { name: 'set_tid at every level, depth 4', depth: 4, set_tid: ['$free', '$free', '$free', '$free', '$free'], expect: 'ok' },
    { name: 'set_tid innermost level only, depth 2', depth: 2, set_tid: ['$free'], expect: 'ok' },
    { name: 'set_tid_size above the child\'s level + 1', depth: 1, set_tid: ['$free', '$free', 300], expect: 'EINVAL' },
    { name: 'set_tid pid 0', depth: 1, set_tid: [0], expect: 'EINVAL' },
    { name: 'set_tid pid -1', depth: 1, set_tid: [-1], expect: 'EINVAL' },
    { name: 'set_tid pid 4194304 (PID_MAX_LIMIT, >= any pid_max)', depth: 1, set_tid: [4194304], expect: 'EINVAL' },
    { name: 'CLONE_NEWPID: set_tid[0] other than 1', depth: 1, flags: ['CLONE_NEWPID'], set_tid: [2], expect: 'EINVAL', why: 'a namespace without init takes only pid 1' },
    { name: 'CLONE_NEWPID: set_tid[0] = 1', depth: 1, flags: ['CLONE_NEWPID'], set_tid: [1], expect: 'ok', expect_nspid: [0, 0, 1] },
    { name: 'CLONE_NEWPID: set_tid 1 then the caller\'s level', depth: 1, flags: ['CLONE_NEWPID'], set_tid: [1, '$free'], expect: 'ok' },
    { name: 'set_tid pid taken (the init, pid 1)', depth: 1, set_tid: [1], expect: 'EEXIST' },
    { name: 'set_tid pid taken in our namespace (pid 1)', set_tid: [1], expect: 'EEXIST' },
    { name: 'set_tid unprivileged in our namespace', uid: 65534, set_tid: ['$free'], expect: 'EPERM' },
    { name: 'set_tid unprivileged, in a namespace of its own user namespace', uid: 65534, depth: 1, set_tid: ['$free'], expect: 'ok', expect_nspid: [0, 0] },
    { name: 'set_tid unprivileged, reaching our namespace', uid: 65534, depth: 1, set_tid: ['$free', '$free'], expect: 'EPERM' },
    { name: 'range before privilege: pid 0, unprivileged', uid: 65534, set_tid: [0], expect: 'EINVAL' },
    { name: 'range before privilege: pid >= pid_max, unprivileged', uid: 65534, set_tid: [4194304], expect: 'EINVAL' },
    { name: 'set_tid_size before privilege, unprivileged', uid: 65534, set_tid: ['$free', 300], expect: 'EINVAL' },
    // Between levels: this kernel allocates level by level from the innermost, so an inner
    // taken pid wins over an outer range or privilege problem; interfaces.md expects kernels
    // around 7.0 to check every level's range and privilege first.
    { name: 'inner taken pid wins over an outer pid 0', depth: 1, set_tid: [1, 0], kernel: '<7.0', expect: 'EEXIST' },
    { name: 'inner taken pid wins over outer privilege, unprivileged', uid: 65534, depth: 1, set_tid: [1, '$free'], kernel: '<7.0', expect: 'EEXIST' },
    { name: 'inner range error wins over an outer taken pid', depth: 1, set_tid: [0, 1], expect: 'EINVAL' },
    ...emulatedRows(),
  ];
}

/** Sections 2-5 for each emulated interface: its decoder's checks in its order, and the lowering. */
function emulatedRows(): RawCase[] {
  const common = (p: string): RawCase[] => [
    { name: `${p}: pids at the caller's levels, depth 2`, proposal: p, depth: 2, pids: ['$free', '$free'], expect: 'ok' },
    { name: `${p}: every level, depth 3`, proposal: p, depth: 3, pids: ['$free', '$free', '$free', '$free'], expect: 'ok' },
    { name: `${p}: an automatic level between chosen ones`, proposal: p, depth: 2, pids: ['$free', 0, '$free'], expect: 'ok' },
    { name: `${p}: CLONE_NEWPID, the new namespace's pid is 1`, proposal: p, depth: 1, flags: ['CLONE_NEWPID'], pids: ['$free'], expect: 'ok', expect_nspid: [0, 0, 1] },
    { name: `${p}: more pids than the caller's levels`, proposal: p, depth: 1, pids: [0, 0, 500], expect: 'EINVAL' },
    { name: `${p}: pid -1`, proposal: p, depth: 1, pids: [-1], expect: 'EINVAL' },
    { name: `${p}: pid >= pid_max`, proposal: p, depth: 1, pids: [4194304], expect: 'EINVAL' },
    { name: `${p}: pid taken -> EBUSY`, proposal: p, depth: 1, pids: [1], expect: 'EBUSY' },
    { name: `${p}: unprivileged`, proposal: p, uid: 65534, pids: ['$free'], expect: 'EPERM' },
    { name: `${p}: unprivileged, in a namespace of its own user namespace`, proposal: p, uid: 65534, depth: 1, pids: [0, '$free'], expect: 'ok' },
    { name: `${p}: range before privilege`, proposal: p, uid: 65534, pids: [-1], expect: 'EINVAL' },
    { name: `${p}: privilege before taken`, proposal: p, uid: 65534, pids: [1], expect: 'EPERM' },
    { name: `${p}: pids unreadable`, proposal: p, depth: 1, pids: ['$free'], fault: 'pids', expect: 'EFAULT' },
  ];
  return [
    ...common('clone_with_pids'),
    { name: 'clone_with_pids: num_pids < 0', proposal: 'clone_with_pids', depth: 1, pids: ['$free'], num_pids: -1, expect: 'EINVAL' },
    { name: 'clone_with_pids: no pid_set, a plain clone', proposal: 'clone_with_pids', depth: 1, expect: 'ok' },
    { name: 'clone_with_pids: pid_set unreadable', proposal: 'clone_with_pids', depth: 1, pids: ['$free'], fault: 'pid_set', expect: 'EFAULT' },
    ...common('clone_extended_flags'),
    { name: 'clone_extended_flags: flags words unreadable', proposal: 'clone_extended_flags', fault: 'clone_flags_t', expect: 'EFAULT' },
    ...common('clone_extended_info'),
    { name: 'clone_extended_info: num_clone_high_words < 0', proposal: 'clone_extended_info', depth: 1, pids: ['$free'], fields: { 'clone_info.num_clone_high_words': -1 }, expect: 'EINVAL' },
    { name: 'clone_extended_info: num_clone_high_words 128', proposal: 'clone_extended_info', depth: 1, pids: ['$free'], fields: { 'clone_info.num_clone_high_words': 128 }, expect: 'EINVAL' },
    ...common('eclone'),
    { name: 'eclone: args_size 56', proposal: 'eclone', size: 56, expect: 'EINVAL', why: 'args_size must equal sizeof exactly' },
    { name: 'eclone: clone_flags_high non-zero', proposal: 'eclone', fields: { 'clone_args.clone_flags_high': 1 }, expect: 'EINVAL' },
    { name: 'eclone: reserved0 non-zero', proposal: 'eclone', fields: { 'clone_args.reserved0': 1 }, expect: 'EINVAL' },
    { name: 'eclone: struct unreadable', proposal: 'eclone', fault: 'clone_args', expect: 'EFAULT' },
  ];
}

export function builtinCases(pageSize: number): ConformanceCase[] {
  return builtinRows(pageSize).map((raw, i) => checkCase(raw, `built-in case ${i + 1} "${raw.name}"`, 'built-in'));
}
