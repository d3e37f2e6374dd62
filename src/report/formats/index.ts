import { UsageError } from '../../errors.js';
import type { ReportFormat } from '../types.js';
import { html } from './html.js';
import { json } from './json.js';
import { markdown } from './markdown.js';
import { text } from './text.js';

/** One file per format; adding a format is one new file and one line here. */
export const FORMATS: readonly ReportFormat[] = [
  html,
  text,
  markdown,
  json,
];

export function formatById(id: string, option = '--format'): ReportFormat {
  const f = FORMATS.find((x) => x.id === id);
  if (!f) throw new UsageError(`${option}: unknown format "${id}"; valid formats: ${FORMATS.map((x) => x.id).join(', ')}`);
  return f;
}
