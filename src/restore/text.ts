/** Printing a restore: plain text for a mailing list, and JSON. */
import { argText } from '../encode/render.js';
import type { RestoreOutcome } from './restore.js';

const PRIVILEGE_TEXT = {
  root: 'as root',
  'user-namespace': 'inside a user namespace of its own',
  unprivileged: 'unprivileged, no user namespace',
} as const;

const list = (xs: readonly number[]) => xs.join(' ');

export function restoreText(o: RestoreOutcome): string {
  const a = o.attempt;
  const how = o.emulated ? 'emulated via clone3' : 'on the kernel';
  const rows: Array<[string, string]> = [
    ['requested NSpid', `${list(o.requested)}   (outermost first, 0 = automatic)`],
    ...o.image.calls.map((c): [string, string] => ['encoded', `${c.syscall}(${c.args.map((x) => `${x.name}=${argText(x.value)}`).join(', ')})`]),
  ];
  if (a) {
    const state = `caller level ${a.state.callerLevel}, pid_max ${a.state.pidMax}, ${a.state.privileged ? 'privileged' : 'unprivileged'}, taken: ${a.state.taken.map((t) => `${t.pid}@${t.level}`).join(' ') || 'none'}`;
    rows.push(['decoder', `${a.decoder.code}   (native/decoder.c ${o.proposal}; ${state})`]);
    if (a.lowered) {
      const filled = a.lowered.filled.length ? `; left automatic by ${o.proposal}, filled with a free pid: ${a.lowered.filled.map((f) => `${f.pid}@${f.level}`).join(' ')}` : '';
      rows.push(['lowered', `clone3 set_tid [${list(a.lowered.setTid)}] (innermost first)${filled}`]);
    }
    rows.push(['ran', `${a.via}${o.emulated ? '' : a.decoder.code === (a.result.ok ? 'OK' : a.result.code) ? '' : `   (the decoder predicted ${a.decoder.code})`}`]);
  }
  if (o.nspid) rows.push(['child NSpid', `${list(o.nspid)}   ${o.match ? 'matches the request' : 'DOES NOT match the request'}`]);
  if (o.error && o.error.code !== 'MISMATCH') rows.push(['refused', `${o.error.code}: ${o.error.message}`]);
  rows.push(['cleanup', o.namespaceHolders.length ? `${o.namespaceHolders.length - 1} namespace level(s) torn down, every process reaped` : 'nothing was created']);
  const who = o.privilege ? PRIVILEGE_TEXT[o.privilege] : 'no namespaces';
  const head = `restore through ${o.proposal} (${how}): caller at depth ${o.depth} (${who}), child at level ${o.childLevel}, flags ${o.flags}, exit signal ${o.exitSignal}`;
  const width = Math.max(...rows.map(([k]) => k.length));
  return [head, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n');
}

export function restoreJson(o: RestoreOutcome): Record<string, unknown> {
  const a = o.attempt;
  return {
    proposal: o.proposal,
    requested: o.requested,
    nspid: o.nspid,
    emulated: o.emulated,
    match: o.match,
    depth: o.depth,
    childLevel: o.childLevel,
    flags: o.flags,
    exitSignal: o.exitSignal,
    privilege: o.privilege,
    decoder: a ? a.decoder.code : null,
    via: a?.via ?? null,
    lowered: a?.lowered ?? null,
    translated: a?.translated ?? null,
    namespaceHolders: o.namespaceHolders,
    error: o.error ?? null,
  };
}
