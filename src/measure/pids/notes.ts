import type { VariantResult } from '../../results/schema.js';

/** Lines under the pids suite's table: how the namespaces were made, and per variant whether
 * the children got the pids chosen (the figures are only worth reading if they did). */
export function formatPidChoices(variants: readonly VariantResult[]): string[] {
  const chosen = variants.filter((v) => v.pidChoice && v.spec.kind === 'pids' && v.spec.method !== 'plain');
  if (!chosen.length) return [];
  const via = chosen[0].pidChoice!.privilege === 'root' ? 'as root' : 'inside a user namespace of the run (no CAP_SYS_ADMIN)';
  const lines = [`  namespaces made ${via}; pids chosen, and children that got another one:`];
  for (const v of chosen) {
    const c = v.pidChoice!;
    const levels = v.spec.kind === 'pids' ? v.spec.levels : 1;
    const what = v.spec.kind === 'pids' && v.spec.method.startsWith('ns_last_pid') ? 'races' : 'mismatches';
    const check = c.checks ? `; read back ${c.checkedLevels}/${c.checks * levels} levels right (pidfd NSpid)` : '';
    lines.push(`  ${v.id}: ${c.creates} chosen, ${c.mismatches} ${what}${check}`);
  }
  return lines;
}
