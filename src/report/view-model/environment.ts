/** The environment block of a results file: short lines, a full table, and the identity fields
 * whose difference between two runs `compare` warns about. */
import type { ResultsEnvironment, ResultsFile } from '../../results/schema.js';
import { CPU_FLAGS, ENVIRONMENT_IDENTITY_LABELS } from './labels.js';
import type { EnvironmentView, RunLabel } from './types.js';

export function runLabel(file: string, r: ResultsFile): RunLabel {
  const e = r.environment;
  return {
    file,
    host: e.host,
    cpu: e.cpuModel,
    cores: e.cores,
    kernel: e.kernelRelease,
    createdAt: r.createdAt,
    interrupted: r.interrupted,
    title: `${e.host}, ${e.cpuModel}, Linux ${e.kernelRelease}`,
    cpuFlags: cpuFlagsLine(e),
  };
}

const flagWord = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

/** "pti no, pcid yes, fsrm yes, erms yes": the flags the figures depend on (invpcid is in the
 * full table). */
export const cpuFlagsLine = (e: ResultsEnvironment, flags: readonly (keyof ResultsEnvironment['cpuFlags'])[] = CPU_FLAGS.short): string =>
  flags.map((f) => `${f} ${flagWord(e.cpuFlags[f])}`).join(', ');

const stealMs = (e: ResultsEnvironment) => ((e.steal.after.stealTicks - e.steal.before.stealTicks) * 1000) / Math.max(1, e.clockTicksPerSecond);

const compileLine = (c: { cc: string; version: string; flags: string[]; source: string } | null | undefined) =>
  c ? `${c.source}: ${c.version}, ${c.flags.join(' ')}` : 'not built or not used';

export function environmentView(r: ResultsFile): EnvironmentView {
  const e = r.environment;
  // Three short lines: the system, the CPU, its flags that matter here (PTI makes every syscall
  // dearer, PCID softens it; FSRM and ERMS decide how copy_from_user copies). The whole
  // virtualisation string, every mitigation and invpcid are in `fields`.
  const summary = [
    `${e.host}: Linux ${e.kernelRelease}, ${e.virtualisation.split(';')[0]}, clock ${e.clockSource}, node ${e.nodeVersion}`,
    `${e.cpuModel} x${e.cores} (${e.arch}), ${e.cpuId}`,
    `${cpuFlagsLine(e)}; uid ${e.uid}, CPU ${e.affinity.pinnedCpu ?? 'unpinned'}, steal ${stealMs(e).toFixed(0)} ms`,
  ];
  const fields = [
    { name: 'host', value: e.host },
    { name: 'architecture', value: e.arch },
    { name: 'kernel', value: `${e.kernelRelease} ${e.kernelVersion}` },
    { name: 'CPU', value: `${e.cpuModel}, ${e.cores} cores` },
    { name: 'CPU id', value: e.cpuId },
    { name: 'CPU flags', value: cpuFlagsLine(e, CPU_FLAGS.all) },
    { name: 'virtualisation', value: e.virtualisation },
    { name: 'clock source', value: e.clockSource },
    { name: 'CPU governor', value: e.governor ?? 'none reported' },
    { name: 'Node, koffi', value: `${e.nodeVersion}, koffi ${e.koffiVersion}` },
    { name: 'uid, gid, CapEff', value: `${e.uid}, ${e.gid}, ${e.capEff}` },
    { name: 'affinity', value: `allowed ${e.affinity.allowed}; pinned ${e.affinity.pinnedCpu ?? 'no'}; ${e.affinity.note}` },
    { name: 'steal time', value: `${stealMs(e).toFixed(0)} ms during the run (${e.steal.before.at} to ${e.steal.after.at})` },
    { name: 'harness', value: compileLine(e.harness) },
    { name: 'clone helper', value: compileLine(e.helper) },
    { name: 'pid-namespace init', value: compileLine(e.pidns) },
    ...Object.entries(e.vulnerabilities).map(([k, v]) => ({ name: `vulnerability ${k}`, value: v })),
  ];
  return { summary, cpuFlags: cpuFlagsLine(e), fields };
}

/** The fields two runs should share for their figures to be compared, keyed by a stable path. */
export function environmentIdentity(r: ResultsFile): Array<{ field: string; label: string; value: string }> {
  const e = r.environment;
  const base: Array<[string, string, string]> = [
    ['environment.kernelRelease', ENVIRONMENT_IDENTITY_LABELS.kernelRelease, e.kernelRelease],
    ['environment.kernelVersion', ENVIRONMENT_IDENTITY_LABELS.kernelVersion, e.kernelVersion],
    ['environment.arch', ENVIRONMENT_IDENTITY_LABELS.arch, e.arch],
    ['environment.cpuModel', ENVIRONMENT_IDENTITY_LABELS.cpuModel, e.cpuModel],
    ['environment.cpuId', ENVIRONMENT_IDENTITY_LABELS.cpuId, e.cpuId],
    ...CPU_FLAGS.all.map((f): [string, string, string] => [`environment.cpuFlags.${f}`, `CPU flag ${f}`, flagWord(e.cpuFlags[f])]),
    ['environment.cores', ENVIRONMENT_IDENTITY_LABELS.cores, String(e.cores)],
    ['environment.virtualisation', ENVIRONMENT_IDENTITY_LABELS.virtualisation, e.virtualisation],
    ['environment.clockSource', ENVIRONMENT_IDENTITY_LABELS.clockSource, e.clockSource],
    ['environment.governor', ENVIRONMENT_IDENTITY_LABELS.governor, e.governor ?? 'none'],
    ['environment.nodeVersion', ENVIRONMENT_IDENTITY_LABELS.nodeVersion, e.nodeVersion],
    ['environment.koffiVersion', ENVIRONMENT_IDENTITY_LABELS.koffiVersion, e.koffiVersion],
    ['environment.harness.version', ENVIRONMENT_IDENTITY_LABELS.compiler, e.harness.version],
    ['environment.harness.flags', ENVIRONMENT_IDENTITY_LABELS.compileFlags, e.harness.flags.join(' ')],
    ['environment.uid', ENVIRONMENT_IDENTITY_LABELS.uid, String(e.uid)],
    ['environment.affinity.pinnedCpu', ENVIRONMENT_IDENTITY_LABELS.pinnedCpu, String(e.affinity.pinnedCpu ?? 'unpinned')],
  ];
  const vulns = Object.entries(e.vulnerabilities).map(([k, v]): [string, string, string] => [`environment.vulnerabilities.${k}`, `mitigation ${k}`, v]);
  const options: Array<[string, string, string]> = [
    ['options.quick', 'run mode (--quick)', String(r.options.quick)],
    ['options.rounds', 'rounds (--rounds)', String(r.options.rounds ?? 'suite defaults')],
    ['options.workers', 'worker processes (--workers)', String(r.options.workers ?? 'suite defaults')],
    ['options.targetBatchMs', 'batch length (--batch-ms)', String(r.options.targetBatchMs ?? 'suite defaults')],
  ];
  return [...base, ...vulns, ...options].map(([field, label, value]) => ({ field, label, value }));
}
