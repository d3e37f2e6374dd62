/**
 * The answer to the RFC's question as the results file states it (`answer`): every interface x
 * request x placement with its measured copy cost, the placement's model and whether they
 * agree, and the cost as a share of every clone variant measured.
 */
import { PLACEMENTS } from '../../encode/placement.js';
import type { ResultsFile } from '../../results/schema.js';
import { intervalOf } from './common.js';
import { label, requestName, SHAPE_LABELS, VIA_LABELS, WHERE_LABELS } from './labels.js';
import type { AnswerClone, AnswerRow, AnswerView, CopyFitView } from './types.js';

/** Placements in their declared order, the headline first; any the code does not know last. */
function placementsOf(rows: ReadonlyArray<{ placement: string }>, headline: string): string[] {
  const seen = [...new Set(rows.map((r) => r.placement))];
  const known: readonly string[] = PLACEMENTS;
  const order = (p: string) => (p === headline ? -1 : known.includes(p) ? known.indexOf(p) : known.length);
  return seen.sort((a, b) => order(a) - order(b));
}

export function answerView(r: ResultsFile, fits: readonly CopyFitView[]): AnswerView | null {
  const a = r.answer;
  if (!a) return null;
  const clones: AnswerClone[] = a.clones.map((c) => {
    const median = c.median === null || c.ciLow === null || c.ciHigh === null ? null : { estimate: c.median, ciLow: c.ciLow, ciHigh: c.ciHigh };
    return {
      key: c.variant,
      shape: c.shape,
      shapeLabel: label(SHAPE_LABELS, c.shape),
      where: c.where,
      whereLabel: label(WHERE_LABELS, c.where),
      label: `${label(SHAPE_LABELS, c.shape)} ${label(VIA_LABELS, c.via)}, ${label(WHERE_LABELS, c.where)}`,
      median,
      noiseNs: c.noiseNs ?? (median ? (median.ciHigh - median.ciLow) / 2 : null),
    };
  });
  const measured = clones.filter((c) => c.median);
  const headlineClone = measured.length ? measured.reduce((x, y) => (y.median!.estimate < x.median!.estimate ? y : x)).key : null;
  const rows: AnswerRow[] = a.rows.map((row) => ({
    key: row.variant,
    proposal: row.proposal,
    request: requestName(row.levels),
    levels: row.levels,
    placement: row.placement,
    status: row.status,
    copies: row.copies,
    bytes: row.bytes,
    probes: row.probes,
    probeBytes: row.probeBytes,
    pageTouches: row.pageTouches,
    cost: intervalOf(row.costNs),
    relative: intervalOf(row.relative),
    model: row.model ? { estimate: row.model.estimate, ciLow: row.model.ciLow, ciHigh: row.model.ciHigh, fit: row.model.fit } : null,
    modelNote: row.modelNote,
    agrees: row.agrees,
    // One entry per clone, in the clones' order, whatever order the file lists them in.
    overheads: clones.map((c) => {
      const o = row.overheads.find((x) => x.clone === c.key);
      return { clone: c.key, ratio: intervalOf(o?.ratio), versusNoise: o?.versusNoise ?? null };
    }),
    reason: row.reason,
  }));
  const used = new Set(rows.flatMap((x) => (x.model ? [x.model.fit] : [])));
  return {
    headlinePlacement: a.headlinePlacement,
    placements: placementsOf(a.rows, a.headlinePlacement),
    clones,
    headlineClone,
    models: fits.filter((f) => used.has(f.key) || f.predicts.length > 0),
    rows,
    ciMethod: a.rows.flatMap((x) => x.overheads.map((o) => o.ciMethod))[0] ?? null,
  };
}

/** The rows of one placement (the headline's for the answer table). */
export const rowsAt = (a: AnswerView, placement = a.headlinePlacement): AnswerRow[] => a.rows.filter((r) => r.placement === placement);

/** Rows whose measured cost and model disagree (their intervals do not overlap). */
export const disagreements = (a: AnswerView): AnswerRow[] => a.rows.filter((r) => r.agrees === false);

/** Rows a model was compared with (agrees is true or false). */
export const judged = (a: AnswerView): AnswerRow[] => a.rows.filter((r) => r.agrees !== null);
