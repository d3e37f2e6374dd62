/**
 * Conformance cases: the case-file format (JSON), its validation with zod, and the checked
 * form the runner takes. A mistake in a file (unknown key, bad errno name, malformed JSON) is
 * an InputError naming the file, the case and the key: exit 2 before anything runs.
 *
 * clone3 cases describe struct clone_args byte by byte: size, flags, exit_signal, set_tid
 * (numbers or "$free", innermost first), set_tid_size, tail bytes beyond 88, any member by
 * name (fields), and where a read should fault. Cases for an emulated interface
 * ("proposal": "eclone") describe its own image: pids in its own order (outermost first),
 * num_pids, size (eclone's args_size), fields by "struct.member", and a segment to fault.
 */
import { readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { z } from 'zod';
import { InputError, UsageError } from '../errors.js';
import { allProposals } from '../registry.js';
import { parseFlags } from '../request/parse.js';
import { CLONE_NEWPID } from '../request/types.js';

const U64_MAX = (1n << 64n) - 1n;
const NUMBER_TEXT = /^(0x[0-9a-f]+|[0-9]+)$/i;
const SIGNED_TEXT = /^-?(0x[0-9a-f]+|[0-9]+)$/i;

/** A u64: a non-negative integer, or a decimal or hex string ("0x100", "0xbadc0ded00000000"). */
const u64 = z
  .union([z.number().int().nonnegative(), z.string().regex(NUMBER_TEXT, 'expected a number or a decimal or hex string such as "0x100"')])
  .transform((v) => BigInt(v))
  .refine((v) => v <= U64_MAX, 'does not fit in 64 bits');
/** A struct member's value: like u64, negative allowed (written in two's complement). */
const memberValue = z
  .union([z.number().int(), z.string().regex(SIGNED_TEXT, 'expected a number or a decimal or hex string')])
  .transform((v) => (typeof v === 'string' && v.startsWith('-') ? -BigInt(v.slice(1)) : BigInt(v)));
const pidEntry = z.union([z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1), z.literal('$free')]);
const KERNEL_RANGE = /^\s*(?:(>=|<=|>|<|=)?\s*\d+(?:\.\d+){0,2}\s*)+$/;

export const RawCaseSchema = z.strictObject({
  name: z.string().min(1),
  proposal: z.string().optional(),
  depth: z.number().int().min(0).max(32).optional(),
  uid: z.union([z.literal(0), z.literal(65534)], { error: 'expected 0 (privileged) or 65534 (unprivileged)' }).optional(),
  size: u64.optional(),
  flags: z.union([z.array(z.union([z.string(), z.number().int().nonnegative()])), z.string(), z.number().int().nonnegative()]).optional(),
  exit_signal: z.union([z.string(), z.number().int().nonnegative()]).optional(),
  set_tid: z.array(pidEntry).max(64).optional(),
  set_tid_size: u64.optional(),
  tail: z.record(z.string().regex(/^[0-9]+$/, 'offsets are decimal'), z.number().int().min(0).max(255)).optional(),
  fields: z.record(z.string(), memberValue).optional(),
  fault: z.string().optional(),
  pids: z.array(pidEntry).max(33).optional(),
  num_pids: z.number().int().optional(),
  kernel: z.string().regex(KERNEL_RANGE, 'expected a version range such as ">=6.3" or ">=5.5 <7.0"').optional(),
  expect: z.string(),
  expect_nspid: z.array(z.number().int().nonnegative()).optional(),
  why: z.string().optional(),
});
export type RawCase = z.input<typeof RawCaseSchema>;

const FileSchema = z.strictObject({ cases: z.array(z.unknown()).min(1, 'a case file needs at least one case') });

export type PidEntry = number | '$free';

export interface ConformanceCase {
  name: string;
  /** Where it came from, for messages: 'cases.json: case 3 "name"'. */
  where: string;
  /** 'built-in' or the file it came from. */
  source: string;
  proposal: string;
  depth: number;
  uid: 0 | 65534;
  size?: bigint;
  flags: bigint;
  exitSignal: bigint;
  setTid?: PidEntry[];
  setTidSize?: bigint;
  tail: Array<[number, number]>;
  fields: Array<[string, bigint]>;
  fault?: string;
  pids?: PidEntry[];
  numPids?: number;
  kernel?: string;
  /** 'ok' or an errno name. */
  expect: string;
  expectNspid?: number[];
  why?: string;
}

export const CLONE3_FAULTS = ['args', 'tail', 'set_tid'] as const;
const CLONE3_ONLY = ['set_tid', 'set_tid_size', 'tail'] as const;
const EMULATED_ONLY = ['pids', 'num_pids'] as const;

/** Interfaces whose cases run through their decoder and the lowering (they never reached a kernel). */
export function emulatedIds(): string[] {
  return allProposals()
    .filter((d) => d.semantics.status !== 'merged' && d.semantics.status !== 'userspace strategy' && d.semantics.pids?.order === 'outermost-first')
    .map((d) => d.id);
}

function signalNumber(text: string): bigint | undefined {
  if (NUMBER_TEXT.test(text)) return BigInt(text);
  const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`;
  const n = (osConstants.signals as Record<string, number>)[name];
  return n === undefined ? undefined : BigInt(n);
}

/** Checks one raw case; `where` names it ("cases.json: case 3 "name""). */
export function checkCase(raw: unknown, where: string, source: string): ConformanceCase {
  const parsed = RawCaseSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const extra = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem(s))` : '';
    if (issue.code === 'unrecognized_keys')
      throw new InputError(`${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (keys: ${Object.keys(RawCaseSchema.shape).join(', ')})${extra}`);
    const key = issue.path.length ? issue.path.map(String).join('.') : '(the case)';
    throw new InputError(`${where}: ${key}: ${issue.message}${extra}`);
  }
  const c = parsed.data;
  const bad = (key: string, msg: string): never => {
    throw new InputError(`${where}: ${key}: ${msg}`);
  };
  const proposal = c.proposal ?? 'clone3';
  const emulated = emulatedIds();
  if (proposal !== 'clone3' && !emulated.includes(proposal))
    bad('proposal', `"${proposal}" is not clone3 or an emulated interface (${emulated.join(', ')})`);
  const isClone3 = proposal === 'clone3';
  for (const key of isClone3 ? EMULATED_ONLY : CLONE3_ONLY)
    if (c[key] !== undefined) bad(key, isClone3 ? 'only for an emulated interface\'s case (clone3 cases use set_tid)' : `only for clone3 cases (${proposal} cases use pids, num_pids, fields)`);
  if (c.expect !== 'ok' && !(c.expect in osConstants.errno)) bad('expect', `"${c.expect}" is neither "ok" nor an errno name (EINVAL, EEXIST, E2BIG, ...)`);
  if (c.expect_nspid && c.expect !== 'ok') bad('expect_nspid', 'only with "expect": "ok"');
  let flags = 0n;
  for (const f of c.flags === undefined ? [] : Array.isArray(c.flags) ? c.flags : [c.flags]) {
    try {
      flags |= typeof f === 'number' ? BigInt(f) : parseFlags(f);
    } catch (err) {
      if (err instanceof UsageError) bad('flags', err.message.replace(/^--flags: /, ''));
      throw err;
    }
  }
  if (flags > U64_MAX) bad('flags', 'do not fit in 64 bits');
  const exitSignal = c.exit_signal === undefined ? signalNumber('SIGCHLD')! : typeof c.exit_signal === 'number' ? BigInt(c.exit_signal) : signalNumber(c.exit_signal);
  if (exitSignal === undefined || exitSignal > U64_MAX) bad('exit_signal', `"${c.exit_signal}" is not a signal name or a u64`);
  const depth = c.depth ?? 0;
  const childLevel = depth + ((flags & CLONE_NEWPID) !== 0n ? 1 : 0);
  c.set_tid?.forEach((p, i) => {
    if (p === '$free' && childLevel - i < 0) bad(`set_tid.${i}`, `"$free" for level ${childLevel - i}: the child has levels 0..${childLevel} only`);
  });
  c.pids?.forEach((p, i) => {
    const level = depth - (c.pids!.length - 1) + i;
    if (p === '$free' && level < 0) bad(`pids.${i}`, `"$free" for level ${level}: the caller has levels 0..${depth} only`);
  });
  const size = c.size;
  const tail = Object.entries(c.tail ?? {}).map(([o, v]): [number, number] => [Number(o), v]);
  for (const [o] of tail)
    if (o < 88 || size === undefined || BigInt(o) >= size) bad(`tail.${o}`, `a tail byte lies in [88, size)${size === undefined ? ' (give a size above 88)' : ` (size ${size})`}`);
  if (isClone3 && c.fault !== undefined && !(CLONE3_FAULTS as readonly string[]).includes(c.fault))
    bad('fault', `"${c.fault}" is not one of ${CLONE3_FAULTS.join(', ')}`);
  if (isClone3 && c.fault === 'tail' && (size === undefined || size <= 88n)) bad('fault', '"tail" needs a size above 88');
  if (isClone3 && c.fields?.set_tid !== undefined && c.set_tid) bad('fields.set_tid', 'give either the set_tid array or a raw set_tid pointer');
  if (c.expect_nspid && c.expect_nspid.length !== childLevel + 1)
    bad('expect_nspid', `${c.expect_nspid.length} entries, but the child is visible in ${childLevel + 1} pid namespace(s) (depth ${depth}${childLevel > depth ? ' + CLONE_NEWPID' : ''})`);
  return {
    name: c.name,
    where,
    source,
    proposal,
    depth,
    uid: c.uid ?? 0,
    size,
    flags,
    exitSignal: exitSignal!,
    setTid: c.set_tid,
    setTidSize: c.set_tid_size,
    tail,
    fields: Object.entries(c.fields ?? {}),
    fault: c.fault,
    pids: c.pids,
    numPids: c.num_pids,
    kernel: c.kernel,
    expect: c.expect,
    expectNspid: c.expect_nspid,
    why: c.why,
  };
}

/** "line L:C" of a character offset in text (1-based). */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

/** Reads and checks a case file; every problem is an InputError naming the file (and case, key). */
export function readCaseFile(path: string): ConformanceCase[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: cannot read the case file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    throw new InputError(`${path}${pos ? `:${lineCol(text, Number(pos[1]))}` : ''}: malformed JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`);
  }
  const file = FileSchema.safeParse(json);
  if (!file.success) {
    const issue = file.error.issues.find((i) => i.code === 'unrecognized_keys') ?? file.error.issues[0];
    const key = issue.code === 'unrecognized_keys' ? `unknown key "${issue.keys[0]}"` : `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`;
    throw new InputError(`${path}: ${key} (a case file is {"cases": [ {...}, ... ]})`);
  }
  const names = new Set<string>();
  return file.data.cases.map((raw, i) => {
    const name = typeof raw === 'object' && raw !== null && typeof (raw as { name?: unknown }).name === 'string' ? (raw as { name: string }).name : undefined;
    const where = `${path}: case ${i + 1}${name ? ` "${name}"` : ''}`;
    const c = checkCase(raw, where, path);
    if (names.has(c.name)) throw new InputError(`${where}: name: another case has this name`);
    names.add(c.name);
    return c;
  });
}

/** Does a kernel release ("6.18.44-...") satisfy a range (">=6.3", ">=5.5 <7.0")? */
export function kernelMatches(range: string, release: string): boolean {
  const version = (v: string) => (v.match(/^\d+(?:\.\d+){0,2}/)?.[0] ?? '0').split('.').map(Number);
  const cmp = (a: number[], b: number[]) => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  const have = version(release);
  return [...range.matchAll(/(>=|<=|>|<|=)?\s*(\d+(?:\.\d+){0,2})/g)].every(([, op = '>=', v]) => {
    const d = cmp(have, version(v));
    return { '>=': d >= 0, '<=': d <= 0, '>': d > 0, '<': d < 0, '=': d === 0 }[op]!;
  });
}
