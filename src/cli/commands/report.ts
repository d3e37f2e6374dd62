import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_REPORT_PATH, FORMATS, formatById, loadResultsFiles, renderReport, writeFileAtomic } from '../../report/index.js';

interface ReportCliOptions {
  format: string;
  out?: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('a report from one or more results files: HTML (self-contained, charts), plain text for mailing lists (72 columns), markdown or JSON; several files side by side')
    .argument('<results...>', 'results files written by `clonebench run`')
    .option('-f, --format <format>', `${FORMATS.map((f) => `${f.id}: ${f.description}`).join('; ')}`, 'html')
    .option('-o, --out <path>', 'where to write the report ("-" for stdout); default: report/index.html for html, stdout otherwise')
    .addHelpText(
      'after',
      '\nExamples:\n  clonebench report results/2026-12-01T21-37-22.142Z-vm.json\n  clonebench report results/*.json --format text\n  clonebench report a.json b.json c.json --out /tmp/three.html',
    )
    .action((files: string[], o: ReportCliOptions) => {
      const format = formatById(o.format);
      const loaded = loadResultsFiles(files);
      const out = o.out ?? (format.id === 'html' ? DEFAULT_REPORT_PATH : '-');
      const text = renderReport(loaded, format.id);
      if (out === '-') {
        process.stdout.write(text);
        return;
      }
      const path = resolve(out);
      writeFileAtomic(path, text);
      const shown = relative(process.cwd(), path);
      process.stdout.write(`report: ${shown && !shown.startsWith('..') ? shown : path}\n`);
    });
}
