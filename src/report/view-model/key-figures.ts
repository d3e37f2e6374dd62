/** The figures a reader compares across runs, derived from a run's view (not from the file). */
import type { KeyFigure, KeyGroup, RunView } from './types.js';

const ZERO = { estimate: 0, ciLow: 0, ciHigh: 0 };

export function keyFigures(v: Omit<RunView, 'keyFigures'>): KeyGroup[] {
  const groups: KeyGroup[] = [];
  const a = v.answer;
  if (a) {
    const rowLabel = (r: { proposal: string; request: string }) => `${r.proposal} ${r.request}`;
    groups.push({
      id: 'answer-cost',
      title: 'copy cost of each interface and request (ns, paired)',
      figures: a.rows.map((r): KeyFigure => ({
        key: r.key,
        label: rowLabel(r),
        unit: 'ns',
        value: r.status === 'zero' ? ZERO : r.cost,
        note: r.status === 'refused' ? 'refused' : r.status === 'skipped' ? 'skipped' : null,
      })),
    });
    const headline = a.clones.findIndex((c) => c.key === a.headlineClone);
    if (headline >= 0)
      groups.push({
        id: 'answer-share',
        title: 'share of the cheapest clone measured',
        figures: a.rows.map((r): KeyFigure => ({
          key: r.key,
          label: rowLabel(r),
          unit: 'ratio',
          value: r.status === 'zero' ? ZERO : r.overheads[headline]?.ratio ?? null,
          note: r.status === 'refused' ? 'refused' : null,
        })),
      });
  }
  if (v.floor.length)
    groups.push({
      id: 'floor',
      title: 'floor (ns per call)',
      figures: v.floor.map((f) => ({ key: f.key, label: f.label, unit: 'ns', value: f.value, note: f.note })),
    });
  if (v.copy.fits.length)
    groups.push({
      id: 'copy',
      title: 'copy_from_user (least squares over paired deltas)',
      figures: v.copy.fits.flatMap((f): KeyFigure[] => [
        { key: `${f.key}:intercept`, label: `${f.label}: intercept`, unit: 'ns', value: f.intercept, note: f.skip },
        { key: `${f.key}:slope`, label: `${f.label}: per byte`, unit: 'ns/B', value: f.slope, note: f.skip },
      ]),
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
