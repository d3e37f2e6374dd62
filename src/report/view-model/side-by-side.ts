/** Several runs' key figures joined by key: one row per figure, one column per run. */
import type { KeyGroupId, RunView, SideBySideGroup, SideBySideRow } from './types.js';

export function sideBySide(runs: readonly RunView[]): SideBySideGroup[] {
  const order: KeyGroupId[] = [];
  for (const run of runs) for (const g of run.keyFigures) if (!order.includes(g.id)) order.push(g.id);
  return order.map((id) => {
    const rows: SideBySideRow[] = [];
    let title = '';
    runs.forEach((run, col) => {
      const group = run.keyFigures.find((g) => g.id === id);
      if (!group) return;
      title ||= group.title;
      for (const f of group.figures) {
        let row = rows.find((x) => x.key === f.key);
        if (!row) {
          row = { key: f.key, label: f.label, unit: f.unit, cells: runs.map(() => null), texts: runs.map(() => null), notes: runs.map(() => 'not in this run') };
          rows.push(row);
        }
        row.cells[col] = f.value;
        row.texts[col] = f.text ?? null;
        row.notes[col] = f.value || f.text ? null : (f.note ?? 'not measured');
      }
    });
    return { id, title, rows };
  });
}
