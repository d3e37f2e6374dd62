/** The view model itself (`clonebench.report` / `clonebench.compare`, version 2 for results
 * schema 2), for tools. */
import type { ReportFormat } from '../types.js';

export const json: ReportFormat = {
  id: 'json',
  description: 'the report\'s view model as JSON',
  extension: 'json',
  report: (model) => `${JSON.stringify(model, null, 1)}\n`,
  compare: (model) => `${JSON.stringify(model, null, 1)}\n`,
};
