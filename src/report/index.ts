/**
 * Reports from results files (never from a live run): a view model, then one of the formats.
 * `renderReport`/`writeReport` are what `clonebench report` uses, and what `run` calls on the
 * file it just wrote: `renderReport([{ path, results }], 'text')` is the summary it prints, and
 * `writeReport(files, 'html', DEFAULT_REPORT_PATH)` the page it leaves behind.
 */
import { buildCompareModel, type CompareModel, type CompareOptions } from './compare/model.js';
import { formatById } from './formats/index.js';
import { buildReportModel, type LoadedResults } from './view-model/index.js';
import { writeFileAtomic } from './write.js';

export function renderReport(files: readonly LoadedResults[], format: string): string {
  return formatById(format).report(buildReportModel(files));
}

/** `option` names the command-line option the path came from, for the error message. */
export function writeReport(files: readonly LoadedResults[], format: string, outPath: string, option = '--out'): void {
  writeFileAtomic(outPath, renderReport(files, format), option);
}

export function compareRuns(base: LoadedResults, next: LoadedResults, options: CompareOptions): CompareModel {
  return buildCompareModel(base, next, options);
}

export function renderComparison(model: CompareModel, format: string): string {
  return formatById(format).compare(model);
}

export { FORMATS, formatById } from './formats/index.js';
export { loadResultsFile, loadResultsFiles, MAX_RESULTS_BYTES } from './load.js';
export { buildReportModel, type LoadedResults } from './view-model/index.js';
export { ALL_KINDS, type CompareModel, type CompareOptions } from './compare/model.js';
export { writeFileAtomic } from './write.js';
export { DEFAULT_REPORT_PATH } from './paths.js';
