/** Command-line forms of a request: flag names, NSpid-ordered pids, signal names. */
import { constants } from 'node:os';
import { UsageError } from '../errors.js';
import { CLONE_FLAGS } from '../proposal/flags.js';
import { CLONE_NEWTIME, childLevel, makeRequest, type CloneRequest, type PidChoice } from './types.js';

/** Names accepted in --flags: the uapi flags plus CLONE_NEWTIME (clone3 only, bit 7). */
export const FLAG_NAMES: Readonly<Record<string, bigint>> = { ...CLONE_FLAGS, CLONE_NEWTIME };

const NUMBER_RE = /^(0x[0-9a-f]+|0b[01]+|[0-9]+)$/i;
const BIT_RE = /^(?:bit|1<<)\s*([0-9]+)$/i;

/**
 * "CLONE_VM|CLONE_FS", "vm,fs", "0x100", "bit40" or "1<<40" (a hypothetical new flag for
 * capacity tests); the parts are ORed.
 */
export function parseFlags(text: string): bigint {
  let flags = 0n;
  for (const raw of text.split(/[|,]/).map((s) => s.trim()).filter(Boolean)) {
    const bit = BIT_RE.exec(raw);
    if (bit) {
      flags |= 1n << BigInt(bit[1]);
      continue;
    }
    if (NUMBER_RE.test(raw)) {
      flags |= BigInt(raw);
      continue;
    }
    const name = raw.toUpperCase().startsWith('CLONE_') ? raw.toUpperCase() : `CLONE_${raw.toUpperCase()}`;
    const value = FLAG_NAMES[name];
    if (value === undefined) throw new UsageError(`unknown clone flag "${raw}"; known: ${Object.keys(FLAG_NAMES).join(', ')}, or a number, or bitN`);
    flags |= value;
  }
  return flags;
}

/** Flag names for printing; bits without a name are shown as bitN. */
export function formatFlags(flags: bigint): string {
  const parts: string[] = [];
  for (let bit = 0n, rest = flags; rest !== 0n; bit++, rest >>= 1n) {
    if ((rest & 1n) === 0n) continue;
    const v = 1n << bit;
    parts.push(Object.entries(FLAG_NAMES).find(([, x]) => x === v)?.[0] ?? `bit${bit}`);
  }
  return parts.length ? parts.join('|') : '0';
}

/** A signal number or a host signal name (SIGCHLD's number differs between architectures). */
export function parseSignal(text: string): number {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`;
  const n = (constants.signals as Record<string, number>)[name];
  if (n === undefined) throw new UsageError(`unknown signal "${text}"`);
  return n;
}

/**
 * Pids in NSpid order (/proc/PID/status): outermost first, the last one the child's own
 * (innermost) namespace. Fewer pids than levels cover the innermost levels; 0 means automatic.
 */
export function pidsFromNspid(nspid: readonly number[], depth: number, flags: bigint): PidChoice[] {
  const top = childLevel({ flags, depth });
  if (nspid.length > top + 1)
    throw new UsageError(`${nspid.length} pids given, but the child is visible in only ${top + 1} pid namespace(s) (levels 0..${top}; --depth ${depth}${top > depth ? ' + CLONE_NEWPID' : ''})`);
  const first = top + 1 - nspid.length;
  return nspid.flatMap((pid, i) => (pid === 0 ? [] : [{ level: first + i, pid }]));
}

export function parseNspid(text: string): number[] {
  return text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((s) => {
      if (!/^[0-9]+$/.test(s)) throw new UsageError(`--pids takes non-negative integers in NSpid order, got "${s}"`);
      return Number(s);
    });
}

export interface RequestOptions {
  flags?: string;
  exitSignal?: string;
  pids?: string;
  depth?: string;
  stack?: string;
  stackSize?: string;
  parentTid?: string;
  childTid?: string;
  tls?: string;
  cgroup?: string;
}

const big = (v: string | undefined, name: string): bigint => {
  if (v === undefined) return 0n;
  if (!NUMBER_RE.test(v)) throw new UsageError(`${name} must be a number (decimal or 0x hex), got "${v}"`);
  return BigInt(v);
};

/** Builds a request from command-line strings; errors are usage errors (exit 2). */
export function requestFromOptions(o: RequestOptions): CloneRequest {
  const flags = o.flags ? parseFlags(o.flags) : 0n;
  const depth = o.depth === undefined ? 0 : Number(o.depth);
  if (!Number.isInteger(depth)) throw new UsageError(`--depth must be an integer, got "${o.depth}"`);
  try {
    return makeRequest({
      flags,
      exitSignal: o.exitSignal ? parseSignal(o.exitSignal) : 0,
      depth,
      pids: o.pids ? pidsFromNspid(parseNspid(o.pids), depth, flags) : [],
      stack: big(o.stack, '--stack'),
      stackSize: big(o.stackSize, '--stack-size'),
      parentTid: big(o.parentTid, '--parent-tid'),
      childTid: big(o.childTid, '--child-tid'),
      tls: big(o.tls, '--tls'),
      cgroup: big(o.cgroup, '--cgroup'),
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'InputError') throw new UsageError(err.message);
    throw err;
  }
}
