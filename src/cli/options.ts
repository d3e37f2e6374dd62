/** Option parsing shared by several commands. */
import { UsageError } from '../errors.js';
import { registerHeaders } from '../header/load.js';
import { splitList } from '../registry.js';

export function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?[0-9]+$/.test(value)) throw new UsageError(`${name} must be an integer, got "${value}"`);
  return Number(value);
}

/** Proposal parameters given on the command line (only clone_extended_flags has one today). */
export function parameterOverrides(opts: { flagWords?: string }): Record<string, number> {
  const words = integerOption(opts.flagWords, '--flag-words');
  return words === undefined ? {} : { CLONE_FLAGS_WORDS: words };
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
  return splitList(opts.proposal) ?? (fromHeaders.length ? fromHeaders : undefined);
}
