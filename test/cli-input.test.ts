/**
 * Strict command-line input (issue 12, items 1, 8 and 9): every malformed or inapplicable value
 * is refused with exit 2 and one line naming the option, never accepted as something else, and
 * never a stack trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decimalOption, integerOption, listOption, parameterOverrides, refuseInapplicable } from '../src/cli/options.js';
import { UsageError } from '../src/errors.js';
import { proposalById } from '../src/registry.js';
import { parseFlags, requestFromOptions } from '../src/request/parse.js';
import { CLI, runCli } from './helpers.js';

interface Refusal {
  args: string[];
  /** The one line on stderr. */
  message: RegExp;
}

function assertRefused(r: ReturnType<typeof runCli>, c: Refusal): void {
  const what = c.args.map((a) => JSON.stringify(a)).join(' ');
  assert.equal(r.status, 2, `${what}: exit ${r.status}, stdout ${r.stdout.slice(0, 200)}, stderr ${r.stderr}`);
  assert.equal(r.stdout, '', `${what}: nothing on stdout`);
  assert.match(r.stderr, c.message, what);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
}

describe('item 1: flag bits are checked before any bigint is built', () => {
  const flags: Array<[string, RegExp]> = [
    ['bit1073741824', /^--flags: bit 1073741824 is above bit 4095, the highest flag bit any interface modelled here has \(MAX_FLAG_BITS 4096\)$/],
    ['1<<4096', /^--flags: bit 4096 is above bit 4095/],
    ['bit0004096', /^--flags: bit 4096 is above bit 4095/],
    [`0x1${'0'.repeat(1024)}`, /^--flags: 0x1000000000\.\.\. \(1027 characters\) has more than 4096 bits: above bit 4095/],
    [`0x${'f'.repeat(1025)}`, /^--flags: 0xf{10}\.\.\. \(1027 characters\) has more than 4096 bits: above bit 4095/],
    [`0b1${'0'.repeat(5000)}`, /^--flags: 0b1000000000\.\.\. \(5003 characters\) has more than 4096 bits: above bit 4095/],
    ['9'.repeat(5000), /^--flags: 9{12}\.\.\. \(5000 characters\) has more than 4096 bits: above bit 4095/],
    [(1n << 4096n).toString(), /^--flags: \d{12}\.\.\. \(1234 characters\) has more than 4096 bits/],
  ];
  for (const [text, message] of flags) it(`--flags ${text.slice(0, 20)}: a usage error naming the limit`, () => assert.throws(() => parseFlags(text), (e: unknown) => e instanceof UsageError && message.test(e.message)));

  it('the widest flags the model holds are accepted: bit 4095, 4096 hex bits, 1234 decimal digits', () => {
    assert.equal(parseFlags('bit4095'), 1n << 4095n);
    assert.equal(parseFlags(`0x${'f'.repeat(1024)}`), (1n << 4096n) - 1n);
    assert.equal(parseFlags(((1n << 4096n) - 1n).toString()), (1n << 4096n) - 1n);
    assert.equal(parseFlags(`0x${'0'.repeat(2000)}1`), 1n);
  });

  const cli: Refusal[] = [
    { args: ['encode', '-p', 'clone3', '--flags', 'bit999999999999'], message: /^clonebench: --flags: bit 999999999999 is above bit 4095.*\n$/ },
    { args: ['encode', '-p', 'clone3', '--flags', 'bit1073741823'], message: /^clonebench: --flags: bit 1073741823 is above bit 4095.*\n$/ },
  ];
  for (const c of cli) {
    it(`clonebench ${c.args.join(' ')}: exit 2 in a 64 MB heap`, () => {
      // A 128 MB bigint (bit 2^30 - 1) would end in an out-of-memory abort in this heap.
      const r = spawnSync(process.execPath, ['--max-old-space-size=64', CLI, ...c.args], { encoding: 'utf8', timeout: 30_000 });
      assertRefused({ status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal }, c);
    });
  }
  it('bit 4095 itself is within the model (refused by clone3 for its 64 bits, not by the parser)', () => {
    const r = runCli(['encode', '-p', 'clone3', '--flags', 'bit4095']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /clone3 cannot express this request: flag bit 4095 is beyond the 64 flag bits/);
    const ok = runCli(['encode', '-p', 'clone_extended_flags', '--flag-words', '64', '--flags', 'bit4095', '--summary']);
    assert.equal(ok.status, 0, ok.stderr);
  });
});

describe('item 8: one strict parser for every integer option; empty values are errors', () => {
  // In-process: what each option's parser says (the CLI cases below show they are the ones used).
  const parsed: Array<[string, () => unknown, RegExp]> = [
    ['--depth ""', () => requestFromOptions({ depth: '' }), /^--depth takes a decimal integer in 0\.\.32, got an empty value$/],
    ['--depth 0x10', () => requestFromOptions({ depth: '0x10' }), /^--depth takes a decimal integer in 0\.\.32, got "0x10"$/],
    ['--depth 1e1', () => requestFromOptions({ depth: '1e1' }), /--depth takes a decimal integer in 0\.\.32, got "1e1"/],
    ['--depth " 3"', () => requestFromOptions({ depth: ' 3' }), /--depth takes a decimal integer in 0\.\.32, got " 3"/],
    ['--depth 3.0', () => requestFromOptions({ depth: '3.0' }), /--depth takes a decimal integer in 0\.\.32, got "3\.0"/],
    ['--depth 33', () => requestFromOptions({ depth: '33' }), /--depth takes a decimal integer in 0\.\.32, got 33/],
    ['--depth -1', () => requestFromOptions({ depth: '-1' }), /--depth takes a decimal integer in 0\.\.32, got "-1"/],
    ['--depth 1x400', () => requestFromOptions({ depth: '1'.repeat(400) }), /--depth takes a decimal integer in 0\.\.32, got 1{400}/],
    ['--pids ,', () => requestFromOptions({ pids: ',' }), /^--pids: empty entry in ","/],
    ['--pids 1,,2', () => requestFromOptions({ pids: '1,,2', depth: '2' }), /--pids: empty entry in "1,,2"/],
    ['--pids 5,', () => requestFromOptions({ pids: '5,' }), /--pids: empty entry in "5,"/],
    ['--pids ""', () => requestFromOptions({ pids: '' }), /--pids: empty entry in ""/],
    ['--pids 0x10', () => requestFromOptions({ pids: '0x10' }), /--pids takes a decimal integer in 0\.\.2147483647, got "0x10"/],
    ['--pids 2^31', () => requestFromOptions({ pids: '2147483648' }), /--pids takes a decimal integer in 0\.\.2147483647, got 2147483648/],
    ['--flags |', () => requestFromOptions({ flags: '|' }), /^--flags: empty flag in "\|"/],
    ['--flags a||b', () => requestFromOptions({ flags: 'CLONE_VM||CLONE_FS' }), /--flags: empty flag in "CLONE_VM\|\|CLONE_FS"/],
    ['--flags ""', () => requestFromOptions({ flags: '' }), /--flags: empty flag in ""/],
    ['--exit-signal ""', () => requestFromOptions({ exitSignal: '' }), /^--exit-signal: empty value/],
    ['--exit-signal 0x11', () => requestFromOptions({ exitSignal: '0x11' }), /--exit-signal takes a decimal integer in 0\.\.255 or a signal name, got "0x11"/],
    ['--exit-signal 256', () => requestFromOptions({ exitSignal: '256' }), /--exit-signal takes a decimal integer in 0\.\.255 or a signal name, got 256/],
    ['--exit-signal SIGNOPE', () => requestFromOptions({ exitSignal: 'SIGNOPE' }), /--exit-signal takes .* got "SIGNOPE" \(not a signal name on this host\)/],
    ['--stack ""', () => requestFromOptions({ stack: '' }), /--stack takes a decimal or 0x hex number in 0\.\.2\^64-1, got an empty value/],
    ['--tls 2^64', () => requestFromOptions({ tls: '0x10000000000000000' }), /--tls takes a decimal or 0x hex number in 0\.\.2\^64-1, got 0x1000000000/],
    ['--cgroup " 3"', () => requestFromOptions({ cgroup: ' 3' }), /--cgroup takes a decimal or 0x hex number in 0\.\.2\^64-1, got " 3"/],
    ['-t ""', () => listOption([''], '--target'), /^--target: empty entry in ""/],
    ['-t x86_64,', () => listOption(['x86_64,'], '--target'), /--target: empty entry in "x86_64,"/],
    ['-p clone3,,eclone', () => listOption(['clone3,,eclone'], '--proposal'), /--proposal: empty entry in "clone3,,eclone"/],
    ['--flag-words 0x2', () => parameterOverrides({ flagWords: '0x2' }, [proposalById('clone_extended_flags')]), /--flag-words takes a decimal integer in 1\.\.64, got "0x2"/],
    ['--flag-words 65', () => parameterOverrides({ flagWords: '65' }, [proposalById('clone_extended_flags')]), /--flag-words takes a decimal integer in 1\.\.64, got 65/],
    ['--flag-words ""', () => parameterOverrides({ flagWords: '' }, [proposalById('clone_extended_flags')]), /--flag-words takes a decimal integer in 1\.\.64, got an empty value/],
    ['-0 for 0..5', () => integerOption('-0', '--x', { min: 0, max: 5 }), /--x takes a decimal integer in 0\.\.5, got "-0"/],
    ['+3', () => integerOption('+3', '--x', { min: 0, max: 5 }), /got "\+3"/],
    ['above a safe integer', () => integerOption('9007199254740993', '--x', { min: 0, max: Number.MAX_SAFE_INTEGER }), /got 9007199254740993/],
    ['--batch-ms .5', () => decimalOption('.5', '--batch-ms', { above: 0, max: 1000, unit: 'milliseconds' }), /got "\.5"/],
    ['--batch-ms Infinity', () => decimalOption('Infinity', '--batch-ms', { above: 0, max: 1000, unit: 'milliseconds' }), /got "Infinity"/],
    ['--batch-ms 1e1', () => decimalOption('1e1', '--batch-ms', { above: 0, max: 1000, unit: 'milliseconds' }), /--batch-ms takes a decimal number of milliseconds in \(0, 1000\], got "1e1"/],
    ['--batch-ms 0', () => decimalOption('0', '--batch-ms', { above: 0, max: 1000, unit: 'milliseconds' }), /got 0$/],
    ['--batch-ms ""', () => decimalOption('', '--batch-ms', { above: 0, max: 1000, unit: 'milliseconds' }), /got an empty value/],
  ];
  for (const [what, fn, message] of parsed) it(`${what} is a usage error`, () => assert.throws(fn, (e: unknown) => e instanceof UsageError && message.test(e.message)));

  it('well-formed values keep their meaning', () => {
    const req = requestFromOptions({ depth: '2', pids: '7, 8 9', exitSignal: '17', flags: 'vm|0x400', stack: '0x1000', stackSize: '4096' });
    assert.equal(req.depth, 2);
    assert.equal(req.exitSignal, 17);
    assert.equal(req.flags, 0x500n);
    assert.equal(req.stackSize, 4096n);
    assert.deepEqual(req.pids, [{ level: 0, pid: 7 }, { level: 1, pid: 8 }, { level: 2, pid: 9 }]);
    assert.equal(requestFromOptions({ exitSignal: 'chld' }).exitSignal, 17);
    assert.equal(integerOption('-3', '--x', { min: -5, max: 5 }), -3);
    assert.equal(integerOption('007', '--x', { min: 0, max: 10 }), 7);
    assert.equal(integerOption(undefined, '--x', { min: 0, max: 5 }), undefined);
    assert.equal(decimalOption('0.5', '--ms', { above: 0, max: 10, unit: 'ms' }), 0.5);
    assert.deepEqual(listOption(['a,b', ' c  d '], '--l'), ['a', 'b', 'c', 'd']);
  });

  // Through the CLI: each command parses with these, exit 2 and one line.
  const out = mkdtempSync(join(tmpdir(), 'clonebench-input-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  const cli: Refusal[] = [
    { args: ['encode', '--depth', ''], message: /^clonebench: --depth takes a decimal integer in 0\.\.32, got an empty value\n$/ },
    { args: ['encode', '-p', 'clone3', '--pids', '1,,2', '--depth', '2'], message: /^clonebench: --pids: empty entry in "1,,2"/ },
    { args: ['encode', '-p', 'clone3', '--flags', '|'], message: /^clonebench: --flags: empty flag in "\|"/ },
    { args: ['encode', '-p', 'clone3', '--exit-signal', ''], message: /^clonebench: --exit-signal: empty value/ },
    { args: ['encode', '-t', ''], message: /^clonebench: --target: empty entry in ""/ },
    { args: ['encode', '-p', ''], message: /^clonebench: --proposal: empty entry in ""/ },
    { args: ['encode', '-p', 'clone3', '--struct-size', '1e2'], message: /^clonebench: --struct-size takes a decimal integer in 1\.\.65536, got "1e2"/ },
    { args: ['abi', '-t', 'x86_64,'], message: /^clonebench: --target: empty entry in "x86_64,"/ },
    { args: ['review', '-p', 'clone_extended_flags', '--flag-words', ''], message: /^clonebench: --flag-words takes a decimal integer in 1\.\.64, got an empty value/ },
    { args: ['run', '--rounds', '', '--out', out], message: /^clonebench: --rounds takes a decimal integer in 1\.\.100000, got an empty value/ },
    { args: ['run', '--seed', '0x10', '--out', out], message: /^clonebench: --seed takes a decimal integer in 0\.\.4294967295, got "0x10"/ },
    { args: ['run', '--warmup', '1e1', '--out', out], message: /^clonebench: --warmup takes a decimal integer in 0\.\.10000, got "1e1"/ },
    { args: ['run', '--batch-ms', '0x10', '--out', out], message: /^clonebench: --batch-ms takes a decimal number of milliseconds in \(0, 1000\], got "0x10"/ },
  ];
  for (const c of cli) it(`clonebench ${c.args.map((a) => JSON.stringify(a).slice(0, 24)).join(' ')}: exit 2`, () => assertRefused(runCli(c.args, { timeout: 20_000 }), c));
});

describe('item 9: options that no chosen proposal takes are refused', () => {
  const parsed: Array<[string, () => unknown, RegExp]> = [
    ['-p clone3 --flag-words 0', () => refuseInapplicable({ flagWords: '0' }, [proposalById('clone3')]), /^--flag-words does not apply to clone3: only proposals with a CLONE_FLAGS_WORDS parameter take it \(clone_extended_flags, clone_extended_flags_reg\)$/],
    ['-p clone ns_last_pid --struct-size 64', () => refuseInapplicable({ structSize: '64' }, [proposalById('clone'), proposalById('ns_last_pid')]), /^--struct-size does not apply to clone, ns_last_pid: only proposals with a size argument for its struct take it \(eclone, clone3\)$/],
    ['-p clone3 eclone --flag-words 3 (review)', () => parameterOverrides({ flagWords: '3' }, [proposalById('clone3'), proposalById('eclone')]), /^--flag-words does not apply to clone3, eclone/],
  ];
  for (const [what, fn, message] of parsed) it(`${what} is a usage error`, () => assert.throws(fn, (e: unknown) => e instanceof UsageError && message.test(e.message)));

  const cli: Refusal[] = [
    { args: ['encode', '-p', 'clone3', '--flag-words', '0'], message: /^clonebench: --flag-words does not apply to clone3: only proposals with a CLONE_FLAGS_WORDS parameter take it \(clone_extended_flags, clone_extended_flags_reg\)\n$/ },
    { args: ['encode', '-p', 'clone_with_pids', '--struct-size', '100'], message: /^clonebench: --struct-size does not apply to clone_with_pids: only proposals with a size argument for its struct take it \(eclone, clone3\)\n$/ },
    { args: ['abi', '-p', 'eclone', '--flag-words', '3'], message: /^clonebench: --flag-words does not apply to eclone/ },
  ];
  for (const c of cli) it(`clonebench ${c.args.join(' ')}: exit 2`, () => assertRefused(runCli(c.args), c));

  it('with several proposals an option applies to those that take it', () => {
    const r = runCli(['encode', '--summary', '-p', 'clone3', 'clone_extended_flags', '--flag-words', '3', '--flags', 'bit150']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /clone_extended_flags +x86_64 +pass +1 +24 /);
    assert.match(r.stdout, /clone3 +x86_64 .*refused: clone_args\.flags is one __aligned_u64/);
  });
});
