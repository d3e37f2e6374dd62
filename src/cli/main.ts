#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { PACKAGE_ROOT } from '../native/paths.js';
import { EnvironmentError, InputError, UsageError } from '../errors.js';
import { commands } from './commands/index.js';

const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

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
