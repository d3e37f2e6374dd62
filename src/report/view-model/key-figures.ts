/** The figures a reader compares across runs, derived from a run's view (not from the file):
 * the answer at the headline placement, the boundary verdict, the floor, the copy models' terms,
 * clone per shape and the chosen pids. */
import { rowsAt } from './answer.js';
import type { KeyFigure, KeyGroup, RunView } from './types.js';

const ZERO = { estimate: 0, ciLow: 0, ciHigh: 0 };

const statusNote = (status: string): string | null => (status === 'refused' ? 'refused' : status === 'skipped' ? 'skipped' : null);
/** A plan without reads costs 0 by construction: a plain 0, not a measured 0.00 [0.00, 0.00]. */
const zeroText = (status: string): string | null => (status === 'zero' ? '0' : null);

export function keyFigures(v: Omit<RunView, 'keyFigures'>): KeyGroup[] {
  const groups: KeyGroup[] = [];
  const a = v.answer;
  if (a) {
    const rows = rowsAt(a);
    const rowLabel = (r: { proposal: string; request: string }) => `${r.proposal} ${r.request}`;
    groups.push({
      id: 'answer-cost',
      title: `copy cost of each interface and request, ${a.headlinePlacement} (ns, paired)`,
      figures: rows.map((r): KeyFigure => ({ key: r.key, label: rowLabel(r), unit: 'ns', value: r.status === 'zero' ? ZERO : r.cost, text: zeroText(r.status), note: statusNote(r.status) })),
    });
    const headline = a.clones.findIndex((c) => c.key === a.headlineClone);
    if (headline >= 0)
      groups.push({
        id: 'answer-share',
        title: `share of the cheapest clone measured (${a.clones[headline].label})`,
        figures: rows.map((r): KeyFigure => ({
          key: r.key,
          label: rowLabel(r),
          unit: 'ratio',
          value: r.status === 'zero' ? ZERO : (r.overheads[headline]?.ratio ?? null),
          text: zeroText(r.status),
          note: statusNote(r.status),
        })),
      });
  }
  const b = v.copy.boundary;
  if (b)
    groups.push({
      id: 'boundary',
      title: 'page end before a non-present page (extra ns per copy)',
      figures: [
        { key: 'boundary:slow-path', label: 'slow path on this CPU', unit: 'text', value: null, text: b.slowPath, note: b.slowPath ? null : 'not measured' },
        ...b.rows.map((x): KeyFigure => ({ key: x.variant, label: `${x.bytes} B at a page end`, unit: 'ns', value: x.extraNs, note: null })),
      ],
    });
  if (v.floor.length)
    groups.push({
      id: 'floor',
      title: 'floor (ns per call)',
      figures: v.floor.map((f) => ({ key: f.key, label: f.label, unit: 'ns', value: f.value, note: f.note })),
    });
  if (v.copy.fits.length)
    groups.push({
      id: 'copy',
      title: 'copy_from_user models (least squares over paired deltas)',
      figures: v.copy.fits.flatMap((f) =>
        f.terms.map((t): KeyFigure => ({
          key: `${f.key}:${t.name}`,
          label: `${f.label}: ${t.label}`,
          unit: t.unit === 'ns/B' ? 'ns/B' : 'ns',
          value: t.coefficient,
          note: f.skip,
        })),
      ),
    });
  if (v.clones.length)
    groups.push({
      id: 'clone',
      title: 'clone + reap (per create)',
      figures: v.clones.map((c) => ({ key: c.key, label: `${c.shape} ${c.via} ${c.where}`, unit: 'ns', value: c.value, note: c.note })),
    });
  if (v.pids.length)
    groups.push({
      id: 'pids',
      title: 'chosen pids (plain create, and + choosing it, paired)',
      figures: v.pids.map((p) =>
        p.baseline
          ? { key: p.key, label: `+ ${p.method} d${p.levels}`, unit: 'ns', value: p.delta, note: p.note }
          : { key: p.key, label: `${p.method} d${p.levels}`, unit: 'ns', value: p.value, note: p.note },
      ),
    });
  return groups;
}
