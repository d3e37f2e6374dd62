/**
 * Issue 12 item 10: the encoder's output says what the interface's kernel-side checks answer,
 * above the copy plan, from the native decoder (no third copy of the kernel's rules).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kernelVerdict, verdictLines, type KernelVerdict } from '../src/decode/verdict.js';
import { encode } from '../src/encode/encode.js';
import type { EncodeOptions } from '../src/encode/types.js';
import { hostTarget, proposalById, resolveProposal, targetById } from '../src/registry.js';
import { makeRequest, type CloneRequest } from '../src/request/types.js';
import { runCli } from './helpers.js';

const host = hostTarget();

function verdict(proposal: string, req: CloneRequest, options: EncodeOptions = {}, target = host): KernelVerdict {
  const rp = resolveProposal(proposalById(proposal));
  const out = kernelVerdict(encode(req, target, rp, options), req, rp, options, host);
  assert.ok('verdict' in out, JSON.stringify(out));
  return out.verdict;
}

const pick = (v: KernelVerdict) => ({ code: v.code, readsMade: v.readsMade, readsPlanned: v.readsPlanned });

describe('kernel checks of an encoded request (host decoder)', { skip: process.arch !== 'x64' && 'the TASK_SIZE case is x86_64' }, () => {
  const cases: Array<[string, string, CloneRequest, EncodeOptions, { code: string; readsMade: number; readsPlanned: number }]> = [
    ['eclone args_size 63: EINVAL before any copy', 'eclone', makeRequest(), { structSize: 63 }, { code: 'EINVAL', readsMade: 0, readsPlanned: 1 }],
    ['eclone args_size 56: EINVAL before any copy', 'eclone', makeRequest(), { structSize: 56 }, { code: 'EINVAL', readsMade: 0, readsPlanned: 1 }],
    ['eclone args_size 48 with pids: passes after both reads', 'eclone', makeRequest({ depth: 1, pids: [{ level: 1, pid: 9 }] }), {}, { code: 'OK', readsMade: 2, readsPlanned: 2 }],
    ['clone3 stack_size without a stack: EINVAL after the struct', 'clone3', makeRequest({ stackSize: 4096n }), {}, { code: 'EINVAL', readsMade: 1, readsPlanned: 1 }],
    ['clone3 a stack without its size: EINVAL', 'clone3', makeRequest({ stack: 0x10000n }), {}, { code: 'EINVAL', readsMade: 1, readsPlanned: 1 }],
    ['clone3 a stack above TASK_SIZE_MAX: EINVAL', 'clone3', makeRequest({ stack: 1n << 47n, stackSize: 4096n }), {}, { code: 'EINVAL', readsMade: 1, readsPlanned: 1 }],
    ['clone3 a stack with its size: passes', 'clone3', makeRequest({ stack: 0x10000n, stackSize: 4096n }), {}, { code: 'OK', readsMade: 1, readsPlanned: 1 }],
    ['clone3 exit signal 65: EINVAL', 'clone3', makeRequest({ exitSignal: 65 }), {}, { code: 'EINVAL', readsMade: 1, readsPlanned: 1 }],
    ['clone3 exit signal 255: EINVAL', 'clone3', makeRequest({ exitSignal: 255 }), {}, { code: 'EINVAL', readsMade: 1, readsPlanned: 1 }],
    ['clone3 exit signal 64 (_NSIG): passes', 'clone3', makeRequest({ exitSignal: 64 }), {}, { code: 'OK', readsMade: 1, readsPlanned: 1 }],
    ['clone3 exit signal 65 with set_tid: EINVAL before set_tid is copied', 'clone3', makeRequest({ exitSignal: 65, pids: [{ level: 0, pid: 300 }] }), {}, { code: 'EINVAL', readsMade: 1, readsPlanned: 2 }],
    ['clone3 CLONE_THREAD with an exit signal: EINVAL after both reads', 'clone3', makeRequest({ flags: 0x10900n, exitSignal: 17, pids: [{ level: 0, pid: 300 }] }), {}, { code: 'EINVAL', readsMade: 2, readsPlanned: 2 }],
    ['clone3 a 4096-byte struct with a zero tail: passes', 'clone3', makeRequest(), { structSize: 4096 }, { code: 'OK', readsMade: 2, readsPlanned: 2 }],
    ['clone_with_pids: passes', 'clone_with_pids', makeRequest({ depth: 1, pids: [{ level: 0, pid: 5 }] }), {}, { code: 'OK', readsMade: 2, readsPlanned: 2 }],
    ['legacy clone exit signal 255: nothing to check', 'clone', makeRequest({ exitSignal: 255 }), {}, { code: 'OK', readsMade: 0, readsPlanned: 0 }],
  ];
  for (const [name, proposal, req, options, want] of cases) it(name, () => assert.deepEqual(pick(verdict(proposal, req, options)), want));

  it('an image for another target is checked as the same request in the host layout, and says so', () => {
    const v = verdict('clone3', makeRequest({ stackSize: 4096n }), {}, targetById('s390x'));
    assert.deepEqual(pick(v), { code: 'EINVAL', readsMade: 1, readsPlanned: 1 });
    assert.equal(v.relaidOut, true);
    assert.match(verdictLines({ verdict: v })[1], /given the same request laid out for x86_64, the host;/);
  });

  it('the text names the errno, where the plan stops, and the documented causes from the declaration', () => {
    const lines = verdictLines({ verdict: verdict('eclone', makeRequest(), { structSize: 63 }) });
    assert.equal(lines[0], '  kernel checks: EINVAL before any read: the copy plan below is not carried out');
    assert.match(lines[1], /^ {4}\(native\/decoder\.c, given the image on x86_64; the caller privileged at pid-namespace level 0, pid_max 4194304, no pid taken\)$/);
    assert.ok(lines.includes('      - args_size != sizeof(struct clone_args)'), lines.join('\n'));
    const partial = verdictLines({ verdict: verdict('clone3', makeRequest({ exitSignal: 65, pids: [{ level: 0, pid: 300 }] })) });
    assert.equal(partial[0], '  kernel checks: EINVAL after read 1 of 2: the rest of the copy plan below is not carried out');
  });
});

describe('clonebench encode prints the checks before the plan', { skip: process.arch !== 'x64' && 'x86_64 host' }, () => {
  it('text: eclone --struct-size 63', () => {
    const r = runCli(['encode', '-p', 'eclone', '--struct-size', '63']);
    assert.equal(r.status, 0, r.stderr);
    const checks = r.stdout.indexOf('  kernel checks: EINVAL before any read');
    assert.ok(checks > 0, r.stdout);
    assert.ok(checks < r.stdout.indexOf('  copy plan:'), 'above the plan');
  });

  it('json and summary: clone3 --exit-signal 65', () => {
    const j = runCli(['encode', '-p', 'clone3', '--exit-signal', '65', '--json']);
    assert.equal(j.status, 0, j.stderr);
    const [img] = JSON.parse(j.stdout) as Array<{ kernelChecks: { code: string; readsMade: number; readsPlanned: number; causes: string[] } }>;
    assert.equal(img.kernelChecks.code, 'EINVAL');
    assert.ok(img.kernelChecks.causes.includes('exit_signal with bits above CSIGNAL or not a valid signal'));
    const s = runCli(['encode', '--summary', '-p', 'clone3', 'eclone', '--exit-signal', '65']);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, /^clone3 +x86_64 +EINVAL at 1\/1 /m);
    assert.match(s.stdout, /^eclone +x86_64 +pass /m);
  });
});
