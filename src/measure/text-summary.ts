import type { ResultsFile, SummaryRecord } from '../results/schema.js';
import { formatProposalCosts } from './copy-plan/cost-table.js';

/** ns below 10 us, us above: clone figures are microseconds, probes nanoseconds. The unit is
 * chosen by `scale` (the median) so a figure and its interval are printed in the same unit. */
function fmt(ns: number, scale = ns): string {
  const a = Math.abs(scale);
  if (a >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (a >= 1e4) return `${(ns / 1e3).toFixed(2)} us`;
  return `${ns.toFixed(a < 10 ? 2 : 1)} ns`;
}

function withCi(s: SummaryRecord): string {
  const unit = Math.max(Math.abs(s.median), Math.abs(s.ciLow), Math.abs(s.ciHigh));
  return `${fmt(s.median, unit)} [${fmt(s.ciLow, unit).replace(/ \w+$/, '')}, ${fmt(s.ciHigh, unit)}]`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The short text table `clonebench run` prints: medians with 95% intervals and n, p99, CV,
 * paired deltas, fits, skips, and one environment line. */
export function formatSummary(r: ResultsFile): string {
  const e = r.environment;
  const lines: string[] = [];
  const stealTicks = e.steal.after.stealTicks - e.steal.before.stealTicks;
  lines.push(
    `env: ${e.host} | Linux ${e.kernelRelease} | ${e.cpuModel} x${e.cores} | ${e.virtualisation} | clock ${e.clockSource}` +
      ` | node ${e.nodeVersion} koffi ${e.koffiVersion} | uid ${e.uid} | cpu ${e.affinity.pinnedCpu ?? 'unpinned'}` +
      ` | steal ${((stealTicks * 1000) / e.clockTicksPerSecond).toFixed(0)} ms during the run`,
  );
  lines.push(`median per iteration [95% CI: ${r.variants.find((v) => v.summary)?.summary?.ciMethod ?? 'bootstrap'}], n = rounds`);
  for (const suite of r.suites) {
    lines.push('');
    lines.push(`${suite.name}: ${suite.completedRounds}/${suite.plannedRounds} rounds, batches of ~${suite.targetBatchMs} ms`);
    // Copy plans are read as the answer table (each row is one variant), not variant by variant.
    if (r.proposalCosts && r.variants.some((x) => x.suite === suite.name && x.spec.kind === 'copy-plan')) {
      lines.push(...formatProposalCosts(r.proposalCosts));
      continue;
    }
    for (const v of r.variants.filter((x) => x.suite === suite.name)) {
      if (v.status === 'skipped' || !v.summary) {
        lines.push(`  ${pad(v.id, 30)} skipped: ${v.skip?.code} (${v.skip?.meaning}; ${v.skip?.detail})`);
        continue;
      }
      const s = v.summary;
      let line = `  ${pad(v.id, 30)} ${pad(withCi(s), 34)} n=${pad(String(s.n), 4)} p99 ${pad(fmt(s.p99), 10)} cv ${s.cv === null ? '-' : (s.cv * 100).toFixed(1) + '%'}`;
      if (v.delta?.summary) line += ` | delta ${withCi(v.delta.summary)} n=${v.delta.summary.n}`;
      if (v.parent) line += ` | parent ${v.parent.where} rss ${(v.parent.rssKiB / 1024).toFixed(1)} MiB, ${v.parent.vmaCount} VMAs`;
      lines.push(line);
    }
  }
  const fits = r.fits;
  if (fits.length) {
    lines.push('');
    lines.push('fits (least squares on paired-delta medians, 95% CI by bootstrap over rounds):');
    for (const f of fits) {
      if (!f.fit) {
        lines.push(`  ${f.id}: not fitted (${f.skip})`);
        continue;
      }
      const { intercept: a, slope: b } = f.fit;
      lines.push(
        `  ${f.id}: ${a.estimate.toFixed(2)} ns [${a.ciLow.toFixed(2)}, ${a.ciHigh.toFixed(2)}] + ` +
          `${b.estimate.toFixed(4)} ns/byte [${b.ciLow.toFixed(4)}, ${b.ciHigh.toFixed(4)}] x ${f.xLabel}`,
      );
    }
  }
  if (r.interrupted) lines.push('', 'interrupted: partial rounds kept (variants marked complete=false in the file)');
  lines.push('', `took ${(r.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
