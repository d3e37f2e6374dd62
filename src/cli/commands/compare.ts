import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { ALL_KINDS, compareRuns, formatById, loadResultsFile, renderComparison, writeFileAtomic } from '../../report/index.js';
import type { MetricKind } from '../../report/view-model/index.js';
import { regexOption } from '../options.js';

interface CompareCliOptions {
  threshold: string;
  format: string;
  metrics?: string[];
  filter?: string;
  out?: string;
}

/** "5", "5%", "2.5" -> 0.05, 0.05, 0.025 */
function parseThreshold(value: string): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*%?\s*$/.exec(value);
  const pct = m ? Number(m[1]) : NaN;
  if (!(pct > 0 && pct < 100)) throw new UsageError(`--threshold expects a percentage above 0 and below 100 (e.g. 5 or 5%), got "${value}"`);
  return pct / 100;
}

function parseKinds(values: string[] | undefined): MetricKind[] {
  if (!values) return [...ALL_KINDS];
  const kinds = values.flatMap((v) => v.split(/[,\s]+/)).filter(Boolean);
  for (const k of kinds) if (!ALL_KINDS.includes(k as MetricKind)) throw new UsageError(`--metrics: unknown metric kind "${k}"; valid: ${ALL_KINDS.join(', ')}`);
  return kinds as MetricKind[];
}


export function register(program: Command): void {
  program
    .command('compare')
    .description('compare two results files metric by metric: the change of each median with a bootstrap interval, improved / regressed / no change against a threshold; exit 1 if anything regressed, 2 on bad input')
    .argument('<base>', 'the results file to compare against')
    .argument('<new>', 'the results file to judge')
    .option('-t, --threshold <pct>', 'a change counts only if its whole 95% interval lies beyond this percentage', '5')
    .option('-f, --format <format>', 'text, md, json or html', 'text')
    .option('--metrics <kinds...>', `which figures to compare: time (per iteration), delta (paired, ns), relative (delta / its in-batch baseline); default: all`)
    .option('--filter <regex>', 'only metrics whose id matches (ids look like copy/struct-64, copy/set_tid-8@co-located delta, proposals/clone3/pids@4@co-located delta/baseline)')
    .option('-o, --out <path>', 'write the comparison to a file instead of stdout')
    .addHelpText(
      'after',
      '\nSeries measured in several worker processes are resampled as the run\'s own\nintervals are: the workers first, then the rounds within each.\n\nExit status: 0 no regression, 1 at least one metric regressed, 2 bad input.\n\nExamples:\n  clonebench compare results/base.json results/new.json\n  clonebench compare base.json new.json --metrics relative --threshold 3\n  clonebench compare base.json new.json --format md --filter \'^proposals/\'',
    )
    .action((base: string, next: string, o: CompareCliOptions) => {
      const threshold = parseThreshold(o.threshold);
      const format = formatById(o.format);
      const kinds = parseKinds(o.metrics);
      const filter = regexOption(o.filter, '--filter');
      const model = compareRuns(loadResultsFile(base), loadResultsFile(next), { threshold, kinds, filter });
      const text = renderComparison(model, format.id);
      if (o.out && o.out !== '-') writeFileAtomic(resolve(o.out), text);
      else process.stdout.write(text);
      for (const d of model.environment) process.stderr.write(`clonebench: warning: environments differ: ${d.label} (${d.field}): ${d.base} -> ${d.next}\n`);
      if (model.counts.regressed > 0) process.exitCode = 1;
    });
}
