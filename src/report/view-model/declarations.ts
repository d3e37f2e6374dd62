/**
 * Layouts per ABI and the review matrix for the interfaces a run measured.
 *
 * Both come as the JSON objects `clonebench abi --json` and `clonebench review --json` print.
 * A results file that stores them (`declarations: {abi, review}`) is used as it is: a proposal
 * declared in a C header and measured with `run --header` is unknown to a later `report`, so only
 * the file can describe it. A file without them (a run that measured no interface) gets them
 * computed here, at report time, from the built-in declarations with the same functions those two
 * commands use. Either way they pass through the same parser below, so the two paths render alike;
 * a part in a shape the parser does not know is left out with a note, never trusted.
 */
import { z } from 'zod';
import { abiReportJson, buildAbiReport } from '../../abi/abi-report.js';
import { allProposals, resolveProposal, selectTargets } from '../../registry.js';
import { review, reviewJson } from '../../review/index.js';
import type { DeclarationsView, LayoutGroup, LayoutLine, RequirementCell, StructView, VerdictName } from './types.js';

const LayoutJson = z.object({
  size: z.number(),
  align: z.number(),
  tailPadding: z.number(),
  holes: z.array(z.object({ after: z.string(), offset: z.number(), size: z.number() })),
  fields: z.array(z.object({ name: z.string(), type: z.string(), offset: z.number(), size: z.number() })),
});

const AbiJson = z.object({
  targets: z.array(z.string()),
  proposals: z.array(
    z.object({
      id: z.string(),
      structs: z.array(z.object({ name: z.string(), sameLayoutEverywhere: z.boolean(), layouts: z.record(z.string(), LayoutJson) })),
    }),
  ),
});

const VerdictJson = z.enum(['pass', 'warn', 'fail', 'note', 'n/a']);

/** The requirements matrix the review JSON carries (src/review/requirements/types.ts): the rows
 * in display order, and per interface a cell per row. */
const RequirementsJson = z.object({
  targets: z.array(z.string()),
  requirements: z.array(z.object({ id: z.string(), parent: z.string().optional(), label: z.string(), title: z.string() })),
  interfaces: z.record(
    z.string(),
    z.record(z.string(), z.object({ status: z.string(), reason: z.string(), abis: z.array(z.string()).optional() })),
  ),
});

const ReviewJson = z.object({
  rules: z.array(z.object({ id: z.string(), statement: z.string() })),
  matrix: z.record(z.string(), z.record(z.string(), VerdictJson)),
  findings: z.array(z.object({ proposal: z.string() })),
  requirements: z.unknown().optional(),
});

/** What a results file stores (`declarations`, schema version 2): `clonebench abi --json` and
 * `review --json` as the run printed them; checked here part by part, as they may come from anyone. */
export interface StoredDeclarations {
  abi: unknown;
  review: unknown;
}

type LayoutRecord = z.infer<typeof LayoutJson>;

function layoutLines(l: LayoutRecord): LayoutLine[] {
  const lines: LayoutLine[] = [];
  for (const f of l.fields) {
    lines.push({ kind: 'member', type: f.type, name: f.name, offset: f.offset, size: f.size });
    for (const h of l.holes.filter((x) => x.after === f.name)) lines.push({ kind: 'hole', offset: h.offset, size: h.size });
  }
  if (l.tailPadding > 0) lines.push({ kind: 'padding', offset: l.size - l.tailPadding, size: l.tailPadding });
  return lines;
}

/** Targets whose layouts agree byte for byte share one printout, as `clonebench abi` prints them. */
function groupLayouts(layouts: Record<string, LayoutRecord>): LayoutGroup[] {
  const groups = new Map<string, LayoutGroup>();
  for (const [target, l] of Object.entries(layouts)) {
    const key = JSON.stringify([l.size, l.align, l.tailPadding, l.holes, l.fields]);
    const g = groups.get(key);
    if (g) g.targets.push(target);
    else groups.set(key, { targets: [target], size: l.size, align: l.align, lines: layoutLines(l) });
  }
  return [...groups.values()];
}

function requirementsView(raw: unknown, notes: string[]): DeclarationsView['requirements'] {
  if (raw === undefined) return null;
  const parsed = RequirementsJson.safeParse(raw);
  if (!parsed.success) {
    notes.push('the review carries a requirements matrix in a shape this report does not know; not shown');
    return null;
  }
  const columns = parsed.data.requirements.map((q) => ({ id: q.id, label: q.label, title: q.title, parent: q.parent ?? null }));
  const rows = Object.entries(parsed.data.interfaces).map(([proposal, cells]) => {
    const out: Record<string, RequirementCell> = {};
    for (const [req, c] of Object.entries(cells)) out[req] = { status: c.status, reason: c.reason, abis: c.abis ?? [] };
    return { proposal, cells: out };
  });
  return { columns, rows };
}

/** Parses stored or computed abi/review JSON into the view; `wanted` orders and filters. */
export function declarationsFromJson(
  abiRaw: unknown,
  reviewRaw: unknown,
  source: DeclarationsView['source'],
  unknown: string[],
  notes: string[],
): DeclarationsView {
  const abi = AbiJson.safeParse(abiRaw);
  const rev = ReviewJson.safeParse(reviewRaw);
  if (!abi.success) notes.push('the layouts stored with this run are in a shape this report does not know; not shown');
  if (!rev.success) notes.push('the review stored with this run is in a shape this report does not know; not shown');
  const structs: StructView[] = abi.success
    ? abi.data.proposals.flatMap((p) =>
        p.structs.map((s) => ({ proposal: p.id, name: s.name, sameEverywhere: s.sameLayoutEverywhere, groups: groupLayouts(s.layouts) })),
      )
    : [];
  const reviewView: DeclarationsView['review'] = rev.success
    ? {
        rules: rev.data.rules.map(({ id, statement }) => ({ id, statement })),
        rows: Object.entries(rev.data.matrix).map(([proposal, verdicts]) => ({
          proposal,
          verdicts: verdicts as Record<string, VerdictName>,
          findings: rev.data.findings.filter((f) => f.proposal === proposal).length,
        })),
      }
    : null;
  return {
    source,
    targets: abi.success ? abi.data.targets : [],
    structs,
    review: reviewView,
    requirements: rev.success ? requirementsView(rev.data.requirements, notes) : null,
    unknown,
    notes,
  };
}

/**
 * The declarations for the measured interfaces: stored ones when the file has them, else the
 * built-in ones computed now, on all targets. With no interface measured (a filtered run), every
 * built-in interface is shown.
 */
export function buildDeclarations(measured: readonly string[], stored: StoredDeclarations | undefined): DeclarationsView {
  if (stored) return declarationsFromJson(stored.abi, stored.review, 'file', [], []);
  const builtIn = allProposals();
  const notes: string[] = [];
  const unknown = measured.filter((id) => !builtIn.some((d) => d.id === id));
  if (unknown.length) notes.push(`not a built-in interface and not stored in the results file: ${unknown.join(', ')} (no layout or review for it)`);
  const ids = measured.length ? measured.filter((id) => !unknown.includes(id)) : builtIn.map((d) => d.id);
  if (!measured.length) notes.push('this run measured no interface\'s copy plan: every built-in interface is shown');
  const decls = ids.map((id) => builtIn.find((d) => d.id === id)!);
  const targets = selectTargets();
  const abi = abiReportJson(buildAbiReport(decls.map((d) => resolveProposal(d)), targets));
  const rev = reviewJson(review(decls, targets));
  return declarationsFromJson(abi, rev, 'computed', unknown, notes);
}
