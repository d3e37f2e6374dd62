import type { ResultsFile, SummaryRecord } from '../results/schema.js';
import { table } from '../text/table.js';
import { formatProposalCosts } from './copy-plan/cost-table.js';
import { formatPidChoices } from './pids/notes.js';

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

/** The short text table `clonebench run` prints: medians with 95% intervals and n, p99, CV,
 * paired deltas, fits, skips, and one environment line. */
export function formatSummary(r: ResultsFile): string {
  const e = r.environment;
  const lines: string[] = [];
  const stealTicks = e.steal.after.stealTicks - e.steal.before.stealTicks;
  // Short lines: this text is pasted into mailing-list replies.
  lines.push(
    `env: ${e.host}, Linux ${e.kernelRelease}, ${e.cpuModel} x${e.cores}, ${e.virtualisation}`,
    `     clock ${e.clockSource}, node ${e.nodeVersion}, koffi ${e.koffiVersion}, uid ${e.uid}, cpu ${e.affinity.pinnedCpu ?? 'unpinned'},` +
      ` steal ${((stealTicks * 1000) / e.clockTicksPerSecond).toFixed(0)} ms during the run`,
  );
  lines.push(`median per iteration [95% CI: ${r.variants.find((v) => v.summary)?.summary?.ciMethod ?? 'bootstrap'}], n = rounds`);
  for (const suite of r.suites) {
    lines.push('');
    lines.push(`${suite.name}: ${suite.completedRounds}/${suite.plannedRounds} rounds, batches of ~${suite.targetBatchMs} ms`);
    // Copy plans are read as the answer table (each row is one variant), not variant by variant.
    if (r.answer && r.variants.some((x) => x.suite === suite.name && x.spec.kind === 'copy-plan')) {
      lines.push(...formatProposalCosts(r.answer));
      continue;
    }
    const variants = r.variants.filter((x) => x.suite === suite.name);
    const withParent = variants.some((v) => v.parent);
    const rows = variants.map((v) => {
      if (v.status === 'skipped' || !v.summary) return [v.id, `skipped: ${v.skip?.code}`];
      const s = v.summary;
      const d = v.delta?.summary;
      const row = [v.id, withCi(s), String(s.n), fmt(s.p99), s.cv === null ? '-' : `${(s.cv * 100).toFixed(1)}%`, d ? withCi(d) : ''];
      if (withParent) row.push(v.parent ? `${v.parent.where} ${(v.parent.rssKiB / 1024).toFixed(1)} MiB ${v.parent.vmaCount} VMAs` : '');
      return row;
    });
    const header = ['variant', 'median [95% CI]', 'n', 'p99', 'cv', 'delta vs baseline [95% CI]', ...(withParent ? ['parent'] : [])];
    const aligns = header.map((_, i): 'l' | 'r' => (i === 0 || i === 6 ? 'l' : 'r'));
    lines.push(...table(header, rows, aligns).split('\n').map((line) => `  ${line}`));
    for (const v of variants.filter((x) => x.status === 'skipped' || !x.summary))
      lines.push(`  ${v.id}: ${v.skip?.code}: ${v.skip?.meaning} (${v.skip?.detail})`);
    lines.push(...formatPidChoices(variants));
  }
  const fits = r.fits;
  if (fits.length) {
    lines.push('');
    lines.push('models (least squares on paired-delta medians, 95% CI by bootstrap over workers, then rounds):');
    for (const f of fits) {
      if (!f.coefficients) {
        lines.push(`  ${f.id}: not fitted (${f.skip})`);
        continue;
      }
      const terms = f.coefficients.map((c, i) => {
        const d = f.terms[i].unit === 'ns/B' ? 4 : 2;
        return `${c.estimate.toFixed(d)} [${c.ciLow.toFixed(d)}, ${c.ciHigh.toFixed(d)}] ${f.terms[i].unit} ${f.terms[i].label}`;
      });
      lines.push(`  ${f.id}:`, ...terms.map((t) => `    ${t}`));
    }
  }
  if (r.boundary) lines.push('', `page-end boundary: ${r.boundary.note}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (r.interrupted) lines.push('', 'interrupted: partial rounds kept (variants marked complete=false in the file)');
  lines.push('', `took ${(r.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
