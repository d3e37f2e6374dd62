#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { PACKAGE_ROOT } from '../native/paths.js';
import { EnvironmentError, InputError, UsageError } from '../errors.js';
import { commands } from './commands/index.js';

const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

// A reader that stops early (`clonebench abi --json | head`) closes the pipe: the command ends
// quietly with status 0 (or the status it already chose), as `git log | head` does under
// `set -o pipefail` in CI, instead of "write EPIPE" and a stack trace. Not 141 (128 + SIGPIPE):
// the reader had all it asked for, and a CI pipeline should not fail on it. Any other stdout
// error (a full disk under `> file`) is an environment failure, exit 1. Errors on stderr cannot
// be reported anywhere and must not stop a run that is measuring: they are ignored.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`clonebench: cannot write to standard output: ${err.message}\n`);
  process.exit(1);
});
process.stderr.on('error', () => {});

const program = new Command()
  .name('clonebench')
  .version(version)
  .description('Lay out, review, marshal and measure Linux clone() ABIs (clone_with_pids, eclone, clone3, ...).')
  .showHelpAfterError()
  .exitOverride();
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  if (err instanceof UsageError || err instanceof InputError) {
    process.stderr.write(`clonebench: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof EnvironmentError) {
    process.stderr.write(`clonebench: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
