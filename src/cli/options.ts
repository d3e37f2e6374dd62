/** Option parsing shared by several commands. */
import { UsageError } from '../errors.js';

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
