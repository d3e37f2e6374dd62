/** Results files -> the report's view model (see types.ts). */
import type { ResultsFile } from '../../results/schema.js';
import { buildRunView } from './run.js';
import { sideBySide } from './side-by-side.js';
import type { ReportModel } from './types.js';

/** A results file as read, with the path it came from (which labels it). */
export interface LoadedResults {
  path: string;
  results: ResultsFile;
}

export function buildReportModel(files: readonly LoadedResults[]): ReportModel {
  const runs = files.map((f) => buildRunView(f.path, f.results));
  return {
    schema: 'clonebench.report',
    version: 2,
    runs,
    sideBySide: runs.length > 1 ? { columns: runs.map((r) => r.label), groups: sideBySide(runs) } : null,
  };
}

export { buildRunView } from './run.js';
export { environmentIdentity, runLabel } from './environment.js';
export { metricSeries, METRIC_SUFFIX, type MetricKind, type MetricSeries } from './metrics.js';
export type * from './types.js';
