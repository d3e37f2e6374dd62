/**
 * Runs conformance cases against the running kernel: each case gets fresh namespaces for its
 * caller's depth (built by build/restore as its uid: root, or 65534 inside a user namespace
 * where the depth needs one), "$free" pids resolved there, then the create, and a verdict:
 * pass when the answer is the expected one (and, for "ok", the child got every pid asked for
 * and expect_nspid), fail otherwise, skip with the reason where the case cannot run here
 * (kernel version range, root needed, the kernel refusing the namespaces themselves).
 */
import { constants as osConstants, release } from 'node:os';
import type { TargetAbi } from '../ctype/target.js';
import { CLONE_FLAGS } from '../proposal/flags.js';
import { describeErrno } from '../native/errno.js';
import { createThrough } from '../restore/create.js';
import { RestoreDriver, RestoreDriverError, RestoreUnsupported, type CallerNamespaces, type CreateResult } from '../restore/driver.js';
import { kernelMatches, type ConformanceCase, type PidEntry } from './case.js';
import type { PreparedCase } from './prepare.js';

const ENOSYS = osConstants.errno.ENOSYS;

export type Verdict = 'pass' | 'fail' | 'skip';

export interface CaseResult {
  name: string;
  proposal: string;
  source: string;
  expect: string;
  /** 'ok', an errno name, or null when the case did not run. */
  got: string | null;
  verdict: Verdict;
  reason: string;
  nspid?: number[];
}

/** One driver per uid the cases ask for; uid 65534 is spawned as such when we are root. */
export class DriverPool {
  private drivers = new Map<number, RestoreDriver>();
  constructor(readonly ourUid: number = process.getuid?.() ?? -1) {}

  get(uid: 0 | 65534): RestoreDriver | { skip: string } {
    if (uid === 0 && this.ourUid !== 0) return { skip: `needs root (uid 0); this run is uid ${this.ourUid}` };
    let d = this.drivers.get(uid);
    if (!d) {
      d = RestoreDriver.start(uid === 65534 && this.ourUid === 0 ? { uid: 65534, gid: 65534 } : {});
      this.drivers.set(uid, d);
    }
    return d;
  }

  /** Drops a driver that failed (the next case starts a new one). */
  async discard(uid: number): Promise<void> {
    const d = this.drivers.get(uid);
    this.drivers.delete(uid);
    await d?.close(2000);
  }

  async close(): Promise<void> {
    const all = [...this.drivers.values()];
    this.drivers.clear();
    await Promise.all(all.map((d) => d.close()));
  }
}

interface Ran {
  result: CreateResult;
  /** Pids the child must have, by absolute level. */
  chosen: Array<{ level: number; pid: number }>;
  childLevel: number;
  via: string;
}

async function resolve(entries: readonly PidEntry[], levelOf: (i: number) => number, driver: RestoreDriver): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    out.push(e === '$free' ? await driver.freePid(levelOf(i)) : e);
  }
  return out;
}

async function runPrepared(p: PreparedCase, driver: RestoreDriver, ns: CallerNamespaces, host: TargetAbi): Promise<Ran> {
  if (p.kind === 'clone3') {
    const c = p.c;
    const setTid = c.setTid ? await resolve(c.setTid, (i) => p.childLevel - i, driver) : null;
    const result = await driver.clone3(p.call(setTid));
    const used = Math.min(setTid?.length ?? 0, Number(c.setTidSize ?? BigInt(setTid?.length ?? 0)));
    const chosen = (setTid ?? []).slice(0, used).map((pid, i) => ({ level: p.childLevel - i, pid }));
    return { result, chosen, childLevel: p.childLevel, via: 'clone3' };
  }
  const pids = await resolve(p.c.pids ?? [], (i) => p.levels[i], driver);
  const intended = pids.map((pid, i) => ({ level: p.levels[i], pid })).filter((x) => x.level >= 0);
  const attempt = await createThrough(p.rp, p.image(pids), host, driver, ns, intended, { truncate: p.truncate });
  return { result: attempt.result, chosen: intended.filter((x) => x.pid > 0), childLevel: p.childLevel, via: attempt.via };
}

function judge(c: ConformanceCase, ran: Ran): Pick<CaseResult, 'got' | 'verdict' | 'reason' | 'nspid'> {
  const r = ran.result;
  if (!r.ok) {
    // No clone3 on this kernel (or a seccomp filter): the case says nothing about the ABI here.
    if (r.code === 'ENOSYS' && c.expect !== 'ENOSYS') return { got: r.code, verdict: 'skip', reason: `${r.step} returns ENOSYS here: ${describeErrno(ENOSYS).meaning}` };
    if (r.code === c.expect) return { got: r.code, verdict: 'pass', reason: `${r.code} from ${r.step}` };
    return { got: r.code, verdict: 'fail', reason: `expected ${c.expect}, got ${r.code} from ${r.step}` };
  }
  const nspid = r.nspid;
  if (c.expect !== 'ok') return { got: 'ok', verdict: 'fail', reason: `expected ${c.expect}, got a child (NSpid [${nspid.join(' ')}]) from ${ran.via}`, nspid };
  const problems: string[] = [];
  if (nspid.length !== ran.childLevel + 1) problems.push(`NSpid [${nspid.join(' ')}] has ${nspid.length} entries, the child should be visible in ${ran.childLevel + 1} namespace(s)`);
  for (const { level, pid } of ran.chosen) if (nspid[level] !== pid) problems.push(`level ${level} got pid ${nspid[level] ?? 'none'}, not the ${pid} asked for`);
  c.expectNspid?.forEach((pid, level) => {
    if (pid !== 0 && nspid[level] !== pid) problems.push(`expect_nspid: level ${level} is ${nspid[level] ?? 'missing'}, not ${pid}`);
  });
  if (problems.length) return { got: 'ok', verdict: 'fail', reason: problems.join('; '), nspid };
  return { got: 'ok', verdict: 'pass', reason: `child NSpid [${nspid.join(' ')}] from ${ran.via}`, nspid };
}

export async function runCase(p: PreparedCase, pool: DriverPool, host: TargetAbi, kernel = release()): Promise<CaseResult> {
  const c = p.c;
  const base = { name: c.name, proposal: c.proposal, source: c.source, expect: c.expect };
  const skip = (reason: string): CaseResult => ({ ...base, got: null, verdict: 'skip', reason });
  if (c.kernel && !kernelMatches(c.kernel, kernel)) return skip(`kernel ${kernel} is outside ${c.kernel.trim()}`);
  const driver = pool.get(c.uid);
  if (!(driver instanceof RestoreDriver)) return skip(driver.skip);
  try {
    // A case that makes a user namespace depends on this machine's policy, not on the ABI.
    if ((c.flags & CLONE_FLAGS.CLONE_NEWUSER) !== 0n) {
      const userns = await driver.userNamespaces();
      if (userns.errno) return skip(`user namespaces are refused to uid ${driver.runsAs.uid} here: unshare(CLONE_NEWUSER) failed with ${userns.code}`);
    }
    const setup = await driver.namespaces(c.depth);
    if (!setup.ok) return skip(`cannot build the caller's ${c.depth} pid namespace(s) as uid ${driver.runsAs.uid}: ${setup.step} failed with ${setup.code}`);
    return { ...base, ...judge(c, await runPrepared(p, driver, setup.ns, host)) };
  } catch (err) {
    if (err instanceof RestoreUnsupported) return skip(err.message);
    if (!(err instanceof RestoreDriverError)) throw err;
    await pool.discard(c.uid);
    // A driver that could not even start (spawning as uid 65534 refused) is this machine's limit.
    if (/could not run/.test(err.message)) return skip(err.message);
    return { ...base, got: null, verdict: 'fail', reason: `the restore driver failed: ${err.message}` };
  }
}

export interface RunOptions {
  host: TargetAbi;
  pool: DriverPool;
  onResult?: (r: CaseResult, index: number) => void;
  /** Checked before each case: set by Ctrl-C. */
  stop?: { requested: boolean };
}

export async function runConformance(cases: readonly PreparedCase[], o: RunOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const p of cases) {
    if (o.stop?.requested) break;
    const r = await runCase(p, o.pool, o.host);
    results.push(r);
    o.onResult?.(r, results.length - 1);
  }
  return results;
}
