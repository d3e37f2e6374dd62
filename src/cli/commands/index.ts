import type { Command } from 'commander';
import { register as abi } from './abi.js';
import { register as run } from './run.js';
import { register as review } from './review.js';
import { register as encode } from './encode.js';
import { register as report } from './report.js';
import { register as compare } from './compare.js';
import { register as restore } from './restore.js';
import { register as conformance } from './conformance.js';

/** One file per command; adding a command is one new file and one line here. */
export const commands: Array<(program: Command) => void> = [
  abi,
  run,
  review,
  encode,
  report,
  compare,
  restore,
  conformance,
];
