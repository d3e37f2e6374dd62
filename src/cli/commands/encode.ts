import type { Command } from 'commander';
import { kernelVerdict, verdictCell, verdictJson, verdictLines, type VerdictOutcome } from '../../decode/verdict.js';
import { encode, planTotals } from '../../encode/encode.js';
import { imageJson, imageText, requestText } from '../../encode/render.js';
import { EncodeRefusal, type UserImage } from '../../encode/types.js';
import { hostTarget, resolveProposal, selectProposals, selectTargets } from '../../registry.js';
import { requestFromOptions, type RequestOptions } from '../../request/parse.js';
import { table } from '../../text/table.js';
import { HEADER_FLAGS, HEADER_HELP, integerOption, listOption, parameterOverrides, proposalIds, refuseInapplicable } from '../options.js';

interface Opts extends RequestOptions {
  proposal?: string[];
  header?: string[];
  target?: string[];
  json?: boolean;
  summary?: boolean;
  flagWords?: string;
  structSize?: string;
}

/** Larger than any page size of the modelled targets; clone3 refuses beyond its PAGE_SIZE. */
const MAX_STRUCT_SIZE = 65536;

/** An image and what the interface's kernel-side checks answer to it, or the encoder's refusal. */
type Outcome = { proposal: string; target: string; image?: UserImage; checks?: VerdictOutcome; refused?: EncodeRefusal };

export function register(program: Command): void {
  program
    .command('encode')
    .description('encode a clone request for an interface and target: hex dump of every segment, register arguments, copy plan')
    .option('-p, --proposal <ids...>', 'interfaces (default: all, or those of --header)')
    .option('-t, --target <ids...>', 'target ABIs (default: the host)')
    .option('--flags <list>', 'clone flags: names joined by | or , (CLONE_VM|fs), numbers, or bitN for a hypothetical flag')
    .option('--exit-signal <sig>', 'exit signal, a number or a name (SIGCHLD)')
    .option('--pids <list>', 'chosen pids in NSpid order: outermost first, last = the child\'s own namespace; fewer cover the innermost levels; 0 = automatic')
    .option('--depth <n>', 'the caller\'s pid-namespace level (0 = root)')
    .option('--stack <addr>', 'stack pointer, or lowest address with --stack-size')
    .option('--stack-size <n>', 'stack size (clone3, eclone)')
    .option('--parent-tid <addr>', 'parent tid pointer')
    .option('--child-tid <addr>', 'child tid pointer')
    .option('--tls <value>', 'TLS value')
    .option('--cgroup <fd>', 'cgroup fd (clone3 CLONE_INTO_CGROUP)')
    .option('--flag-words <n>', 'CLONE_FLAGS_WORDS for clone_extended_flags')
    .option('--struct-size <n>', 'size-versioned structs: pass this size (zero tail beyond the declared struct)')
    .option('--summary', 'only the copy-plan totals, one row per interface and target')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  clonebench encode -p clone3 --flags CLONE_NEWPID --pids 300,1 --depth 0\n  clonebench encode -p eclone -t s390x --pids 42,7 --depth 1\n  clonebench encode --summary -t x86_64 i386 --pids 100 --depth 3\n  clonebench encode --header abi/headers/examples/clone_pidfd.h --pids 300,1 --depth 1',
    )
    .option(HEADER_FLAGS, HEADER_HELP)
    .action((opts: Opts) => {
      const targets = opts.target ? selectTargets(listOption(opts.target, '--target')) : [hostTarget()];
      const chosen = selectProposals(proposalIds(opts));
      refuseInapplicable(opts, chosen);
      const overrides = parameterOverrides(opts, chosen);
      const proposals = chosen.map((d) => resolveProposal(d, overrides));
      const structSize = integerOption(opts.structSize, '--struct-size', { min: 1, max: MAX_STRUCT_SIZE });
      const req = requestFromOptions(opts);
      const host = hostTarget();
      const outcomes: Outcome[] = proposals.flatMap((rp) =>
        targets.map((t) => {
          try {
            const image = encode(req, t, rp, { structSize });
            return { proposal: rp.decl.id, target: t.id, image, checks: kernelVerdict(image, req, rp, { structSize }, host) };
          } catch (err) {
            if (err instanceof EncodeRefusal) return { proposal: rp.decl.id, target: t.id, refused: err };
            throw err;
          }
        }),
      );
      // A single interface and target that cannot express the request is an error (exit 2).
      if (outcomes.length === 1 && outcomes[0].refused) throw outcomes[0].refused;
      process.stdout.write(`${opts.json ? json(outcomes, req) : opts.summary ? summary(outcomes, req) : full(outcomes, req)}\n`);
    });
}

function json(outcomes: Outcome[], req: Parameters<typeof imageJson>[1]): string {
  return JSON.stringify(
    outcomes.map((o) =>
      o.image ? { ...imageJson(o.image, req), kernelChecks: verdictJson(o.checks!) } : { proposal: o.proposal, target: o.target, refused: { limit: o.refused!.limit, message: o.refused!.message } },
    ),
    null,
    2,
  );
}

function summary(outcomes: Outcome[], req: NonNullable<Parameters<typeof imageJson>[1]>): string {
  const rows = outcomes.map((o) => {
    if (!o.image) return [o.proposal, o.target, '-', '-', '-', '-', `refused: ${o.refused!.limit}`];
    const t = planTotals(o.image);
    return [o.proposal, o.target, verdictCell(o.checks!), String(t.copies), String(t.bytes), String(t.syscalls), o.image.plan.map((r) => `${r.segment}:${r.length}`).join(' ')];
  });
  const note = 'kernel: what the interface\'s checks answer (native/decoder.c; "EINVAL at 0/1": after 0 of the plan\'s 1 reads)';
  return `request: ${requestText(req)}\n\n${table(['interface', 'target', 'kernel', 'copies', 'bytes', 'syscalls', 'reads (segment:bytes) / refusal'], rows, ['l', 'l', 'l', 'r', 'r', 'r', 'l'])}\n${note}`;
}

function full(outcomes: Outcome[], req: NonNullable<Parameters<typeof imageJson>[1]>): string {
  return [`request: ${requestText(req)}`, ...outcomes.map((o) => (o.image ? imageText(o.image, verdictLines(o.checks!)) : `${o.proposal} on ${o.target}: refused: ${o.refused!.message}`))].join('\n\n');
}
