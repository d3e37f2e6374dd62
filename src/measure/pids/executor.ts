/**
 * Executes a pids variant in build/pidns: the chain of `levels` pid namespaces is made on the
 * first batch (a failure there is the variant's skip, naming the step and errno), then each
 * batch is one request to the chain's innermost init. A method that chooses pids, paired with
 * plain clone3 at the same depth, runs interleaved with it in ABBA blocks inside one batch, as
 * the copy suite's probes: the VM's fast/slow phases (seconds apart, every syscall x1.35) hit
 * both sides of each block pair alike.
 */
import { describeErrno } from '../../native/errno.js';
import type { PidNamespaceChain, PidnsDriver, PidsBatch } from '../../native/pidns.js';
import type { PidChoiceRecord, SkipRecord, VariantSpec } from '../../results/schema.js';
import type { ExecutedBatch, Executor } from '../executors.js';
import { SkipError } from '../skip.js';
import { median } from '../../stats/summary.js';

type PidsSpec = Extract<VariantSpec, { kind: 'pids' }>;

/** Creates per block of a paired batch. A create costs a hundred to a few hundred microseconds
 * on the VMs measured so far, so a block lasts under a millisecond: short next to a VM's
 * fast/slow phases, long next to the two clock reads per block; and a batch of the default
 * 10 ms holds several block pairs, so their median shrugs off one slow create. */
export const PIDS_BLOCK = 2;
/** The driver's limit on block pairs per batch (MAX_PAIRS in native/pidns.main.c). */
const MAX_PAIRS = 512;

export interface PidsContext {
  pidns: () => Promise<PidnsDriver>;
  timeoutMs: number;
}


/** Why a chain could not be made, as a skip record (EPERM without user namespaces, ...). */
function namespaceSkip(errno: number, step: string, levels: number): SkipRecord {
  const who = process.getuid?.() === 0 ? 'as root' : `as uid ${process.getuid?.()}`;
  const why = step.startsWith('unshare(CLONE_NEWUSER)')
    ? 'without CAP_SYS_ADMIN a user namespace is needed, and user namespaces are off or forbidden here'
    : `no pid namespace ${levels} level(s) below the run's could be made`;
  return { ...describeErrno(-errno), detail: `${step} failed ${who}: ${why}` };
}

export function makePidsExecutor(spec: PidsSpec, ctx: PidsContext, baseline?: VariantSpec): Executor {
  const paired = spec.method !== 'plain' && baseline?.kind === 'pids' && baseline.method === 'plain' && baseline.levels === spec.levels;
  let chain: PidNamespaceChain | null = null;
  let createdVia: PidChoiceRecord['createdVia'] = 'clone3';
  const counts = { creates: 0, mismatches: 0, checks: 0, checkedLevels: 0, checkFailures: 0 };

  const ready = async (): Promise<PidnsDriver> => {
    const driver = await ctx.pidns();
    const setup = await driver.namespace(spec.levels, ctx.timeoutMs);
    if (!setup.ok) throw new SkipError(namespaceSkip(setup.errno, setup.step, spec.levels));
    chain = setup.chain;
    return driver;
  };

  const account = (r: PidsBatch): void => {
    if (spec.method === 'plain') return;
    counts.creates += r.done;
    counts.mismatches += r.mismatches;
    if (spec.method === 'set_tid' && r.ret === 0) {
      counts.checks++;
      if (r.verifiedLevels > 0) counts.checkedLevels += r.verifiedLevels;
      if (r.verifiedLevels < 0) counts.checkFailures++;
    }
  };

  return {
    expectedRet: 0,
    batch: async (iters): Promise<ExecutedBatch> => {
      const driver = await ready();
      if (!paired) {
        const r = await driver.run(spec.levels, spec.method, iters, ctx.timeoutMs);
        account(r);
        return r;
      }
      const block = Math.max(Math.min(PIDS_BLOCK, iters), Math.ceil(iters / (2 * MAX_PAIRS)));
      // An even number of block pairs: as many A-first as B-first, so ABBA cancels a drift.
      const pairs = Math.min(MAX_PAIRS, 2 * Math.max(1, Math.round(iters / (4 * block))));
      const r = await driver.pair(spec.levels, spec.method, block, pairs, ctx.timeoutMs);
      account(r);
      if (r.done < 1 || r.pairDeltas.length === 0) return r;
      return { ...r, pair: { deltaNs: median(r.pairDeltas), baselineNsPerIter: r.nsB / r.done } };
    },
    parent: async () => {
      const { legacyClone, ...s } = await (await ready()).status(spec.levels);
      if (legacyClone) createdVia = 'legacy clone';
      return { where: 'pidns-init', ...s };
    },
    pidChoice: (): PidChoiceRecord | null =>
      chain && {
        privilege: chain.privilege,
        inits: chain.inits,
        firstPid: chain.firstPid,
        rangeSize: chain.rangeSize,
        ...counts,
        createdVia,
      },
  };
}
