/** One output format of `report` and `compare`: both render models, never results files. */
import type { CompareModel } from './compare/model.js';
import type { ReportModel } from './view-model/types.js';

export interface ReportFormat {
  /** What `--format` takes. */
  id: string;
  description: string;
  /** The file name extension of a written report. */
  extension: string;
  report(model: ReportModel): string;
  compare(model: CompareModel): string;
}
