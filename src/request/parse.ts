/** Command-line forms of a request: flag names, NSpid-ordered pids, signal names. */
import { constants } from 'node:os';
import { integerOption, listOption } from '../cli/options.js';
import { UsageError } from '../errors.js';
import { CLONE_FLAGS, MAX_PID_NS_LEVEL } from '../proposal/flags.js';
import { CLONE_NEWTIME, MAX_FLAG_BITS, PID_T_MAX, childLevel, makeRequest, type CloneRequest, type PidChoice } from './types.js';

/** Names accepted in --flags: the uapi flags plus CLONE_NEWTIME (clone3 only, bit 7). */
export const FLAG_NAMES: Readonly<Record<string, bigint>> = { ...CLONE_FLAGS, CLONE_NEWTIME };

const NUMBER_RE = /^(0x[0-9a-f]+|0b[01]+|[0-9]+)$/i;
const BIT_RE = /^(?:bit|1<<)\s*([0-9]+)$/i;
/** Decimal digits that can still be below 2^MAX_FLAG_BITS (2^4096 has 1234 digits). */
const MAX_FLAG_DECIMAL_DIGITS = Math.ceil((MAX_FLAG_BITS * Math.log10(2))) + 1;

const abbreviated = (text: string) => (text.length > 16 ? `${text.slice(0, 12)}... (${text.length} characters)` : text);
const beyondModel = (what: string) =>
  new UsageError(`--flags: ${what}above bit ${MAX_FLAG_BITS - 1}, the highest flag bit any interface modelled here has (MAX_FLAG_BITS ${MAX_FLAG_BITS})`);

/**
 * A number from --flags, refused by its length in bits before any bigint is built: a bigint of
 * 2^30 bits is 128 MB (and one bit more is a RangeError).
 */
function flagNumber(raw: string): bigint {
  const tooWide = () => beyondModel(`${abbreviated(raw)} has more than ${MAX_FLAG_BITS} bits: `);
  const base = /^0x/i.test(raw) ? 16 : /^0b/i.test(raw) ? 2 : 10;
  const digits = (base === 10 ? raw : raw.slice(2)).replace(/^0+/, '');
  const bits = base === 16 ? (digits ? (digits.length - 1) * 4 + parseInt(digits[0], 16).toString(2).length : 0) : base === 2 ? digits.length : null;
  if (bits === null ? digits.length > MAX_FLAG_DECIMAL_DIGITS : bits > MAX_FLAG_BITS) throw tooWide();
  const value = BigInt(raw);
  if (value >> BigInt(MAX_FLAG_BITS) !== 0n) throw tooWide();
  return value;
}

/**
 * "CLONE_VM|CLONE_FS", "vm,fs", "0x100", "bit40" or "1<<40" (a hypothetical new flag for
 * capacity tests); the parts are ORed. An empty part ("|", "a||b", "") is an error.
 */
export function parseFlags(text: string): bigint {
  let flags = 0n;
  const parts = text.split(/[|,]/).map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new UsageError(`--flags: empty flag in "${text}" (flags are joined by | or ,)`);
  for (const raw of parts) {
    const bit = BIT_RE.exec(raw);
    if (bit) {
      // The bit number is checked as text: "bit1073741823" must not build a 128 MB bigint first.
      const n = bit[1].replace(/^0+(?=.)/, '');
      if (n.length > 6 || Number(n) >= MAX_FLAG_BITS) throw beyondModel(`bit ${n} is `);
      flags |= 1n << BigInt(bit[1]);
      continue;
    }
    if (NUMBER_RE.test(raw)) {
      flags |= flagNumber(raw);
      continue;
    }
    const name = raw.toUpperCase().startsWith('CLONE_') ? raw.toUpperCase() : `CLONE_${raw.toUpperCase()}`;
    const value = FLAG_NAMES[name];
    if (value === undefined) throw new UsageError(`--flags: unknown clone flag "${raw}"; known: ${Object.keys(FLAG_NAMES).join(', ')}, or a number, or bitN`);
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

/**
 * --exit-signal: a decimal number in 0..255 (the CSIGNAL byte; the interfaces' own checks say
 * which of those they accept) or a host signal name (SIGCHLD's number differs between
 * architectures).
 */
export function parseSignal(text: string): number {
  const expect = '--exit-signal takes a decimal integer in 0..255 or a signal name';
  if (text === '') throw new UsageError(`--exit-signal: empty value (${expect.replace('--exit-signal takes ', '')})`);
  if (/^-?[0-9]/.test(text)) return integerOption(text, '--exit-signal', { min: 0, max: 0xff }, expect)!;
  const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`;
  const n = (constants.signals as Record<string, number>)[name];
  if (n === undefined) throw new UsageError(`${expect}, got "${text}" (not a signal name on this host)`);
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

/** --pids: decimal pids (0 = automatic), separated by commas or spaces; no empty entry. */
export function parseNspid(text: string): number[] {
  return listOption(text, '--pids')!.map((s) => integerOption(s, '--pids', { min: 0, max: PID_T_MAX })!);
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

const U64_DIGITS: Record<number, number> = { 2: 64, 10: 20, 16: 16 };

/** An address, size or fd: a u64, decimal or 0x hex (0b binary too), checked as text first. */
function u64Option(v: string | undefined, name: string): bigint {
  if (v === undefined) return 0n;
  const expect = `${name} takes a decimal or 0x hex number in 0..2^64-1`;
  if (!NUMBER_RE.test(v)) throw new UsageError(`${expect}, got ${v === '' ? 'an empty value' : `"${v}"`}`);
  const base = /^0x/i.test(v) ? 16 : /^0b/i.test(v) ? 2 : 10;
  const digits = (base === 10 ? v : v.slice(2)).replace(/^0+/, '');
  if (digits.length > U64_DIGITS[base] || BigInt(v) >> 64n !== 0n) throw new UsageError(`${expect}, got ${abbreviated(v)}`);
  return BigInt(v);
}

/** Builds a request from command-line strings; errors are usage errors (exit 2). */
export function requestFromOptions(o: RequestOptions): CloneRequest {
  const flags = o.flags === undefined ? 0n : parseFlags(o.flags);
  const depth = integerOption(o.depth, '--depth', { min: 0, max: MAX_PID_NS_LEVEL }) ?? 0;
  try {
    return makeRequest({
      flags,
      exitSignal: o.exitSignal === undefined ? 0 : parseSignal(o.exitSignal),
      depth,
      pids: o.pids === undefined ? [] : pidsFromNspid(parseNspid(o.pids), depth, flags),
      stack: u64Option(o.stack, '--stack'),
      stackSize: u64Option(o.stackSize, '--stack-size'),
      parentTid: u64Option(o.parentTid, '--parent-tid'),
      childTid: u64Option(o.childTid, '--child-tid'),
      tls: u64Option(o.tls, '--tls'),
      cgroup: u64Option(o.cgroup, '--cgroup'),
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'InputError') throw new UsageError(err.message);
    throw err;
  }
}
