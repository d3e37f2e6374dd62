/**
 * The binding of build/restore (native/restore.main.c): a C process that builds the
 * nested pid namespaces a caller at some depth needs and has that caller make the creating
 * syscall with the bytes we send. Node never forks: every process is made in C.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { describeErrno } from '../native/errno.js';
import { LineProcess, type LineProcessOptions } from '../native/line-process.js';
import { BUILD_DIR } from '../native/paths.js';

export const RESTORE_PATH = join(BUILD_DIR, 'restore');

/** A protocol or process failure of the driver (not a kernel answer). */
export class RestoreDriverError extends EnvironmentError {
  override name = 'RestoreDriverError';
}

/**
 * Over which levels the caller holds CAP_SYS_ADMIN: `root` all (the run's user namespace owns
 * every pid namespace); `user-namespace` the levels below ours (a user namespace of the
 * driver's own owns them, level 0 belongs to the initial one); `unprivileged` none (a caller
 * in our own namespace without the capability).
 */
/** This machine cannot run the raw creates (they are x86_64 only, like the harness's clone loops). */
export class RestoreUnsupported extends RestoreDriverError {
  override name = 'RestoreUnsupported';
}

export type Privilege = 'root' | 'user-namespace' | 'unprivileged';
const PRIVILEGE: Record<string, Privilege> = { root: 'root', userns: 'user-namespace', plain: 'unprivileged' };

export function privilegedAt(privilege: Privilege, level: number): boolean {
  return privilege === 'root' || (privilege === 'user-namespace' && level >= 1);
}

export interface CallerNamespaces {
  /** The caller's level: 0 = the driver's own pid namespace. */
  depth: number;
  privilege: Privilege;
  pageSize: number;
  /** Per level, outermost first: the process living there as the driver sees it, and pid_max. */
  levels: Array<{ pid: number; pidMax: number }>;
}

export type NamespaceSetup = { ok: true; ns: CallerNamespaces } | { ok: false; errno: number; code: string; step: string };

/** A child was made (its NSpid outermost first, empty if unreadable), or the kernel said no. */
export type CreateResult = { ok: true; pid: number; nspid: number[] } | { ok: false; errno: number; code: string; step: string };

/** Where the caller's clone3 reads fault: the struct, its tail beyond 88 bytes, or set_tid. */
export type Clone3Fault = 'none' | 'args' | 'tail' | 'set_tid';

export interface Clone3Call {
  /** clone3's size argument (any u64). */
  size: bigint;
  /** The first 88 bytes of struct clone_args (the caller fills set_tid when setTid is given). */
  head: Uint8Array;
  /** Pids innermost first, pointed at by set_tid; null keeps the set_tid member of head as is. */
  setTid: readonly number[] | null;
  /** Bytes beyond 88 (offset, value). */
  tail?: ReadonlyArray<readonly [number, number]>;
  fault?: Clone3Fault;
}

const ARGS_VER2 = 88;
/** native/restore.main.c's own refusals, above any kernel errno. */
const ERR_UNSUPPORTED = 10001;

export class RestoreDriver {
  private constructor(
    private readonly proc: LineProcess,
    readonly runsAs: { uid: number; gid: number },
  ) {}

  /** Starts the driver, as another uid/gid when given (Node must then be root). */
  static start(options: LineProcessOptions = {}, path = RESTORE_PATH): RestoreDriver {
    if (!existsSync(path)) throw new RestoreDriverError(`${path} is missing: run \`npm run build\` (needs cc)`);
    const proc = new LineProcess(path, 'restore', (m) => new RestoreDriverError(m), options);
    return new RestoreDriver(proc, { uid: options.uid ?? process.getuid?.() ?? -1, gid: options.gid ?? process.getgid?.() ?? -1 });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  private async ask(command: string, expect: string, timeoutMs = 10_000): Promise<string[]> {
    const line = await this.proc.request(command, timeoutMs);
    const words = line.split(' ');
    if (words[0] !== expect) throw new RestoreDriverError(`restore driver answered \`${line}\` to \`${command.slice(0, 60)}\``);
    return words.slice(1);
  }

  /** Tears down any previous chain and builds the namespaces for a caller at `depth`. */
  async namespaces(depth: number): Promise<NamespaceSetup> {
    const w = await this.ask(`ns ${depth}`, 'ns', 10_000 + 500 * depth);
    if (w[0] === 'err') {
      const errno = Number(w[1]);
      return { ok: false, errno, code: describeErrno(errno).code, step: w.slice(2).join(' ') };
    }
    const privilege = PRIVILEGE[w[1]];
    const pageSize = Number(w[2]);
    const levels = w.slice(3).map((pair) => {
      const [pid, pidMax] = pair.split(':').map(Number);
      return { pid, pidMax };
    });
    if (w[0] !== 'ok' || !privilege || !(pageSize > 0) || levels.length !== depth + 1 || levels.some((l) => !(l.pid > 0) || !(l.pidMax > 0)))
      throw new RestoreDriverError(`restore driver answered \`ns ${w.join(' ')}\``);
    return { ok: true, ns: { depth, privilege, pageSize, levels } };
  }

  /** Whether `pid` is in use at `level` of the current chain (0 = the driver's namespace). */
  async taken(level: number, pid: number): Promise<boolean> {
    const [v] = await this.ask(`taken ${level} ${pid}`, 'taken');
    return v === '1';
  }

  /** A pid nothing uses at `level`. */
  async freePid(level: number): Promise<number> {
    const pid = Number((await this.ask(`free ${level}`, 'free'))[0]);
    if (!(pid > 0)) throw new RestoreDriverError(`restore driver found no free pid at level ${level}`);
    return pid;
  }

  private async create(command: string): Promise<CreateResult> {
    const line = await this.proc.request(command, 10_000);
    const w = line.split(' ');
    if (w[0] === 'created') {
      const n = Number(w[2]);
      const nspid = w.slice(3).map(Number);
      if (nspid.length !== n || nspid.some((x) => !Number.isInteger(x))) throw new RestoreDriverError(`restore driver answered \`${line}\``);
      return { ok: true, pid: Number(w[1]), nspid };
    }
    if (w[0] === 'failed') {
      const errno = Number(w[1]);
      if (errno === ERR_UNSUPPORTED) throw new RestoreUnsupported(`restore driver: ${describeErrno(errno).meaning}`);
      if (errno > 10000) throw new RestoreDriverError(`restore driver: ${w.slice(2).join(' ')} (errno ${errno})`);
      return { ok: false, errno, code: describeErrno(errno).code, step: w.slice(2).join(' ') };
    }
    throw new RestoreDriverError(`restore driver answered \`${line}\``);
  }

  /** clone3 with these struct bytes, made by the caller. */
  clone3(call: Clone3Call): Promise<CreateResult> {
    if (call.head.length !== ARGS_VER2) throw new RestoreDriverError(`clone3 head must be ${ARGS_VER2} bytes, got ${call.head.length}`);
    const tids = call.setTid ?? [];
    const tail = call.tail ?? [];
    const words = [
      'clone3',
      call.size.toString(),
      call.fault ?? 'none',
      call.setTid ? 'array' : 'asis',
      String(tids.length),
      ...tids.map(String),
      Buffer.from(call.head).toString('hex'),
      String(tail.length),
      ...tail.flatMap(([o, v]) => [String(o), String(v)]),
    ];
    return this.create(words.join(' '));
  }

  /** Legacy clone with five register values in the host's order. */
  clone(registers: readonly bigint[]): Promise<CreateResult> {
    return this.create(`clone ${regs(registers)}`);
  }

  /** Writes `text` to /proc/sys/kernel/ns_last_pid in the caller's namespace, then clones. */
  lastPidClone(text: string, registers: readonly bigint[]): Promise<CreateResult> {
    if (!/^[0-9]{1,31}$/.test(text)) throw new RestoreDriverError(`ns_last_pid text must be decimal digits, got "${text}"`);
    return this.create(`lastpid ${text} ${regs(registers)}`);
  }

  private userns?: Promise<{ errno: number; code: string }>;

  /** Whether this driver's uid may create a user namespace (errno 0) or what the kernel says. */
  userNamespaces(): Promise<{ errno: number; code: string }> {
    this.userns ??= this.ask('userns', 'userns').then(([v]) => {
      const errno = Number(v);
      if (!Number.isInteger(errno)) throw new RestoreDriverError(`restore driver answered \`userns ${v}\``);
      return { errno, code: errno ? describeErrno(errno).code : 'OK' };
    });
    return this.userns;
  }

  /** Tears the chain down (every process reaped). */
  async end(): Promise<void> {
    await this.ask('end', 'end', 15_000);
  }

  /** End of input: the driver tears down and exits (SIGKILL after timeoutMs). */
  close(timeoutMs = 8000): Promise<void> {
    return this.proc.close(timeoutMs);
  }
}

function regs(registers: readonly bigint[]): string {
  if (registers.length !== 5) throw new RestoreDriverError(`legacy clone takes 5 registers, got ${registers.length}`);
  return registers.map((r) => `0x${BigInt.asUintN(64, r).toString(16)}`).join(' ');
}
