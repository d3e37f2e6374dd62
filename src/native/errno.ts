import { constants } from 'node:os';

/** Codes the harness itself returns (negated), kept above any kernel errno. */
/** What a working clone3 probe returns (negated): it fails on flag bit 63 after the copies. */
export const EINVAL = 22;
export const HARNESS_UNSUPPORTED = 10001;
export const HARNESS_BAD_ARGS = 10002;

const MEANINGS: Record<string, string> = {
  ENOSYS: 'the kernel does not implement this syscall, or a seccomp filter (container runtime) blocks it',
  EPERM: 'operation not permitted: creating a pid namespace needs CAP_SYS_ADMIN (run as root, or where user namespaces are allowed)',
  EACCES: 'permission denied by the kernel or a security module',
  EINVAL: 'the kernel rejected the arguments',
  E2BIG: 'struct size above the page size, or a non-zero byte in the struct tail',
  EFAULT: 'the kernel could not read the user memory it was pointed at',
  ENOMEM: 'the kernel is out of memory for a new task',
  EAGAIN: 'a process or thread limit (RLIMIT_NPROC, pid_max, cgroup pids.max) was reached',
  EUSERS: 'user namespace nesting limit reached',
  ENOSPC: 'a namespace count limit (/proc/sys/user/max_*_namespaces) or the pid namespace nesting limit (MAX_PID_NS_LEVEL) was reached',
};

/**
 * Linux errno values Node's os.constants.errno does not list, by value on this host (the
 * asm-generic numbering; MIPS numbers its own). The decoders return EUSERS for a pid namespace
 * nested below MAX_PID_NS_LEVEL.
 */
const NOT_IN_NODE: Readonly<Record<number, string>> = process.arch.startsWith('mips') ? { 94: 'EUSERS' } : { 87: 'EUSERS' };

export interface ErrnoInfo {
  errno: number;
  code: string;
  meaning: string;
}

/** Names a (positive or negative) errno as returned by the harness. */
export function describeErrno(value: number): ErrnoInfo {
  const errno = Math.abs(value);
  if (errno === HARNESS_UNSUPPORTED)
    return { errno, code: 'UNSUPPORTED', meaning: 'the raw clone paths of the harness exist for x86_64 only' };
  if (errno === HARNESS_BAD_ARGS)
    return { errno, code: 'BADARGS', meaning: 'the harness refused the arguments before any syscall' };
  const entry = Object.entries(constants.errno).find(([, n]) => n === errno);
  const code = entry ? entry[0] : (NOT_IN_NODE[errno] ?? `errno ${errno}`);
  return { errno, code, meaning: MEANINGS[code] ?? 'refused by the kernel' };
}
