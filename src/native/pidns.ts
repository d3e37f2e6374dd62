import { existsSync } from 'node:fs';
import { readCompileInfo, type BatchResult, type CompileInfo } from './harness.js';
import { LineProcess } from './line-process.js';
import { PIDNS_PATH } from './paths.js';

export class PidnsError extends Error {
  override name = 'PidnsError';
}

/** Method codes of build/pidns (native/pidns.main.c). */
export const PidsMethod = { plain: 0, set_tid: 1, ns_last_pid: 2, 'ns_last_pid-open': 3 } as const;
export type PidsMethodName = keyof typeof PidsMethod;

/** A chain of nested pid namespaces whose innermost init runs the loops. */
export interface PidNamespaceChain {
  levels: number;
  privilege: 'root' | 'user-namespace';
  /** Level i (0 = innermost) gets firstPid + i * rangeSize + k. */
  firstPid: number;
  rangeSize: number;
  /** The inits as the run's pid namespace sees them, outermost first. */
  inits: number[];
}

/** The chain, or the step that failed (`unshare(CLONE_NEWUSER)`, `clone3(CLONE_NEWPID)-at-level-1`, ...) and its errno. */
export type NamespaceSetup = { ok: true; chain: PidNamespaceChain } | { ok: false; errno: number; step: string };

export interface PidsBatch extends BatchResult {
  /** Creates whose child did not get the chosen pid. */
  mismatches: number;
  /** set_tid batches: levels the untimed pidfd check confirmed, -1 for a wrong pid, 0 unchecked. */
  verifiedLevels: number;
}

export interface PidsPairBatch extends PidsBatch {
  /** Total ns of the plain clone3 (B) blocks; `ns` is the method's (A). */
  nsB: number;
  /** Per ABBA block pair: (A - B) ns per create. */
  pairDeltas: number[];
}

function parseInts(words: string[], what: string): number[] {
  const n = words.map(Number);
  if (n.some((x) => !Number.isFinite(x))) throw new PidnsError(`pidns answered \`${what}\``);
  return n;
}

/**
 * The pidns driver (build/pidns): makes chains of nested pid namespaces on request, one per
 * depth, and forwards batches to the chain's innermost init. Killing the driver (timeout)
 * takes its chains with it (PR_SET_PDEATHSIG and end of input), closing it reaps them.
 */
export class PidnsDriver {
  private namespaces = new Map<number, Promise<NamespaceSetup>>();
  private constructor(private readonly proc: LineProcess) {}

  static start(path = PIDNS_PATH): PidnsDriver {
    if (!existsSync(path)) throw new PidnsError(`${path} is missing: run \`npm run build\` (needs cc)`);
    return new PidnsDriver(new LineProcess(path, 'pidns', (m) => new PidnsError(m)));
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  static compileInfo(): CompileInfo {
    return readCompileInfo(PIDNS_PATH);
  }

  private async ask(command: string, timeoutMs: number, expect: string): Promise<string[]> {
    const line = await this.proc.request(command, timeoutMs);
    const words = line.split(' ');
    if (words[0] !== expect) throw new PidnsError(`pidns answered \`${line}\` to \`${command}\``);
    return words.slice(1);
  }

  /** Pins the driver; chains made afterwards inherit the affinity. */
  async pin(cpu: number): Promise<number> {
    return parseInts(await this.ask(`pin ${cpu}`, 5000, 'ok'), 'pin')[2];
  }

  /** The chain of `levels` namespaces, made on the first call (later calls share it). */
  namespace(levels: number, timeoutMs: number): Promise<NamespaceSetup> {
    let setup = this.namespaces.get(levels);
    if (!setup) {
      setup = this.ask(`ns ${levels}`, timeoutMs, 'ns').then((w): NamespaceSetup => {
        if (w[0] === 'err') return { ok: false, errno: parseInts([w[1]], 'ns err')[0], step: w.slice(2).join(' ') };
        if (w[0] !== 'ok' || (w[1] !== 'root' && w[1] !== 'userns')) throw new PidnsError(`pidns answered \`ns ${w.join(' ')}\``);
        const [firstPid, rangeSize, ...inits] = parseInts(w.slice(2), 'ns ok');
        if (inits.length !== levels) throw new PidnsError(`pidns made ${inits.length} namespaces for ${levels}`);
        return { ok: true, chain: { levels, privilege: w[1] === 'root' ? 'root' : 'user-namespace', firstPid, rangeSize, inits } };
      });
      this.namespaces.set(levels, setup);
    }
    return setup;
  }

  /** `iters` creates + reaps by one method in the chain of `levels` namespaces. */
  async run(levels: number, method: PidsMethodName, iters: number, timeoutMs: number): Promise<PidsBatch> {
    const [ns, done, ret, mismatches, verifiedLevels] = parseInts(await this.ask(`run ${levels} ${PidsMethod[method]} ${iters}`, timeoutMs, 'ok'), 'run');
    return { ns, done, ret, mismatches, verifiedLevels };
  }

  /** `pairs` ABBA block pairs of `block` creates: the method (A) against plain clone3 (B). */
  async pair(levels: number, method: PidsMethodName, block: number, pairs: number, timeoutMs: number): Promise<PidsPairBatch> {
    const w = parseInts(await this.ask(`pair ${levels} ${PidsMethod[method]} ${block} ${pairs}`, timeoutMs, 'pair'), 'pair');
    const [ns, nsB, done, ret, mismatches, verifiedLevels, n] = w;
    if (w.length !== 7 + n) throw new PidnsError(`pidns sent ${w.length - 7} block deltas for ${n}`);
    return { ns, nsB, done, ret, mismatches, verifiedLevels, pairDeltas: w.slice(7) };
  }

  /** The innermost init of the chain: its memory, its pid as the run sees it, and whether its creates fell back to legacy clone (clone3
   * refused with ENOSYS). */
  async status(levels: number): Promise<{ rssKiB: number; vmaCount: number; pid: number; legacyClone: boolean }> {
    const [rssKiB, vmaCount, pid, legacy] = parseInts(await this.ask(`status ${levels}`, 5000, 'status'), 'status');
    return { rssKiB, vmaCount, pid, legacyClone: legacy === 1 };
  }

  /** Closes stdin: the driver ends every chain's input, reaps them and exits. */
  close(timeoutMs = 5000): Promise<void> {
    return this.proc.close(timeoutMs);
  }
}
