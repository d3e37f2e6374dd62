/**
 * Option parsing shared by every command: one strict integer parser, one strict decimal parser,
 * one strict list parser, and the table of options that only some proposals take.
 * Strict means: what is typed is what is meant. No empty value, no surrounding whitespace, no
 * hex, exponent or fraction where an integer is asked for, no empty list entry; the error names
 * the option and, for numbers, the accepted range.
 */
import { UsageError } from '../errors.js';
import type { ProposalDecl } from '../proposal/types.js';
import { allProposals } from '../registry.js';
import { registerHeaders } from '../header/load.js';

export interface IntegerRange {
  min: number;
  max: number;
}

const DECIMAL_INTEGER = /^-?[0-9]+$/;
const DECIMAL_NUMBER = /^[0-9]+(\.[0-9]+)?$/;

const rangeText = (r: IntegerRange) => `${r.min}..${r.max}`;

/**
 * A decimal integer within `range`: digits only, with a leading minus only where the range
 * admits negatives. `name` is the option as typed (`--depth`); `expect` replaces the default
 * "--x takes a decimal integer in a..b" where an option also takes other forms.
 */
export function integerOption(value: string | undefined, name: string, range: IntegerRange, expect = `${name} takes a decimal integer in ${rangeText(range)}`): number | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError(`${expect}, got an empty value`);
  if (!DECIMAL_INTEGER.test(value) || (value.startsWith('-') && range.min >= 0)) throw new UsageError(`${expect}, got "${value}"`);
  // Compared as text first: a 400-digit value must not round to a number that looks in range.
  const digits = value.replace(/^-?0*/, '');
  const n = Number(value);
  if (digits.length > 15 || n < range.min || n > range.max) throw new UsageError(`${expect}, got ${value}`);
  return n;
}

/** A non-negative decimal number (digits, optionally a fraction) in (min, max]. */
export function decimalOption(value: string | undefined, name: string, range: { above: number; max: number; unit: string }): number | undefined {
  if (value === undefined) return undefined;
  const expect = `${name} takes a decimal number of ${range.unit} in (${range.above}, ${range.max}]`;
  if (!DECIMAL_NUMBER.test(value)) throw new UsageError(`${expect}, got ${value === '' ? 'an empty value' : `"${value}"`}`);
  const n = Number(value);
  if (!(n > range.above && n <= range.max)) throw new UsageError(`${expect}, got ${value}`);
  return n;
}

/** A regular expression option (`--filter`): the error names the option and what is wrong. */
export function regexOption(value: string | undefined, name: string): RegExp | null {
  if (value === undefined) return null;
  try {
    return new RegExp(value);
  } catch (err) {
    throw new UsageError(`${name}: not a valid regular expression: ${(err as Error).message}`);
  }
}

/**
 * The entries of a list option (`-t x86_64 i386`, `-t x86_64,i386`): commas and whitespace
 * separate. An empty entry (`""`, `a,,b`, `a,`) is an error, never dropped: dropping it would
 * turn `-p ""` into "all proposals" or shift the levels of `--pids 1,,2`.
 */
export function listOption(values: readonly string[] | string | undefined, name: string): string[] | undefined {
  if (values === undefined) return undefined;
  const out: string[] = [];
  for (const value of typeof values === 'string' ? [values] : values) {
    const entries = value.trim().split(/\s*,\s*|\s+/);
    if (entries.some((e) => e === '')) throw new UsageError(`${name}: empty entry in "${value}" (entries are separated by commas or spaces)`);
    out.push(...entries);
  }
  return out;
}

/**
 * Options that only some proposals take, and how to tell from a declaration: a proposal
 * parameter (`--flag-words`) or a size-versioned root struct (`--struct-size`). One row per
 * option; a new option of this kind is one row here.
 */
const PROPOSAL_OPTIONS: ReadonlyArray<{ option: string; key: 'flagWords' | 'structSize'; appliesTo: (d: ProposalDecl) => boolean; what: string }> = [
  { option: '--flag-words', key: 'flagWords', appliesTo: (d) => d.parameters?.CLONE_FLAGS_WORDS !== undefined, what: 'a CLONE_FLAGS_WORDS parameter' },
  { option: '--struct-size', key: 'structSize', appliesTo: (d) => d.semantics.sizeVersioning !== undefined, what: 'a size argument for its struct' },
];

/**
 * Refuses an option that none of the chosen proposals takes (exit 2): it would change nothing,
 * and a command line that silently tests something else than its author thinks is worse than
 * one that stops. With several proposals the option applies to those that take it.
 */
export function refuseInapplicable(opts: { flagWords?: string; structSize?: string }, chosen: readonly ProposalDecl[]): void {
  for (const row of PROPOSAL_OPTIONS) {
    if (opts[row.key] === undefined || chosen.some(row.appliesTo)) continue;
    const takers = allProposals().filter(row.appliesTo).map((d) => d.id);
    throw new UsageError(
      `${row.option} does not apply to ${chosen.map((d) => d.id).join(', ')}: only proposals with ${row.what} take it (${takers.join(', ') || 'none'})`,
    );
  }
}

/**
 * Proposal parameters given on the command line (only clone_extended_flags has one today),
 * range-checked against the declaring proposal's own limits.
 */
export function parameterOverrides(opts: { flagWords?: string }, chosen: readonly ProposalDecl[]): Record<string, number> {
  if (opts.flagWords === undefined) return {};
  refuseInapplicable(opts, chosen);
  const decl = chosen.find((d) => d.parameters?.CLONE_FLAGS_WORDS)!;
  const { min, max } = decl.parameters!.CLONE_FLAGS_WORDS;
  return { CLONE_FLAGS_WORDS: integerOption(opts.flagWords, '--flag-words', { min, max })! };
}

/** `--header FILE...`, repeatable: proposals declared in annotated C headers (README, "Bring your own proposal"). */
export const HEADER_FLAGS = '--header <files...>';
export const HEADER_HELP = 'a C header declaring a proposal: its structs, a syscall prototype and /*@ annotations */ (repeatable; the proposal id is the syscall name or @id)';

/** Registers the headers given with --header (an error in one exits 2 with file:line:col); returns their proposal ids. */
export function registerHeaderFiles(files: readonly string[] | undefined): string[] {
  return files?.length ? registerHeaders(files) : [];
}

/**
 * The proposal ids a command works on: --proposal if given, else the headers' proposals when
 * --header is given, else all (undefined).
 */
export function proposalIds(opts: { header?: string[]; proposal?: string[] }): string[] | undefined {
  const fromHeaders = registerHeaderFiles(opts.header);
  return listOption(opts.proposal, '--proposal') ?? (fromHeaders.length ? fromHeaders : undefined);
}
