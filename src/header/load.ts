/**
 * Loading `--header FILE`: parse, read the annotations, build the declaration and the generic
 * encoder, count the copy plans, validate the result as the review does, and register it so
 * every command (abi, review, encode, run) sees it like a built-in interface.
 */
import { readFileSync } from 'node:fs';
import { registerGenericDecoder } from '../decode/generic.js';
import { encodeWith, planTotals } from '../encode/encode.js';
import { genericEncoder } from '../encode/generic.js';
import type { GenericSemantics } from '../encode/generic-plan.js';
import { EncodeRefusal, type Encoder } from '../encode/types.js';
import { InputError } from '../errors.js';
import { CLONE_FLAGS } from '../proposal/flags.js';
import type { ProposalDecl } from '../proposal/types.js';
import { allProposals, registerProposals, resolveProposal, selectTargets, targetById, type ProposalPlugin } from '../registry.js';
import { EMPTY_REQUEST, makeRequest, type CloneRequest } from '../request/types.js';
import { buildContext } from '../review/context.js';
import { parseAnnotations } from './annotations.js';
import type { ParsedHeader } from './ast.js';
import { parseHeader } from './parser.js';
import { toDeclaration } from './to-declaration.js';
import { fail, type Pos } from './tokens.js';

export interface HeaderPlugin extends ProposalPlugin {
  file: string;
  /** The text as read and what the parser made of it (for the compiler check of the header as written). */
  source: string;
  parsed: ParsedHeader;
  semantics: GenericSemantics;
  idPos: Pos;
}

/** Reads and checks one header; nothing is registered. */
export function loadHeader(file: string, source?: string): HeaderPlugin {
  let text = source;
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(`${file}: cannot read the header (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const parsed = parseHeader(text, file);
  const hp = toDeclaration(parsed, parseAnnotations(parsed.comments));
  const declaration = hp.declaration;
  const encoder = genericEncoder(declaration.id, hp.semantics);
  try {
    // What every command checks before it uses a declaration (names in the semantics, layouts on all ABIs).
    buildContext(declaration, selectTargets());
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
  declaration.semantics.copies = countCopies(declaration, encoder);
  return { declaration, encoder, file, source: text, parsed, semantics: hp.semantics, idPos: hp.idPos };
}

/**
 * The copy counts the review shows (semantics.copies), from the generic encoder's own plans on
 * x86_64: the empty request, and a request with one chosen pid and, where the interface has room
 * for it, a flag above bit 31 (as test/encode-plans.test.ts counts the built-in ones).
 */
function countCopies(decl: ProposalDecl, encoder: Encoder): ProposalDecl['semantics']['copies'] {
  const target = targetById('x86_64');
  const rp = resolveProposal(decl);
  const copies = (req: CloneRequest): number | undefined => {
    try {
      return planTotals(encodeWith(encoder, req, target, rp)).copies;
    } catch (err) {
      if (err instanceof EncodeRefusal) return undefined;
      throw err;
    }
  };
  const wide = encoder.capacity(target, rp).flagBits > 32 ? CLONE_FLAGS.CLONE_CLEAR_SIGHAND : 0n;
  const onePid = makeRequest({ flags: wide, pids: [{ level: 0, pid: 100 }] });
  const empty = copies(EMPTY_REQUEST) ?? 0;
  const full = copies(onePid) ?? copies(makeRequest({ flags: wide })) ?? empty;
  return { empty, full, note: 'counted from the generic encoder: the empty request, and one chosen pid (with a flag above bit 31 where it fits)' };
}

/** Loads headers and registers them for the rest of this process; returns their proposal ids. */
export function registerHeaders(files: readonly string[]): string[] {
  const plugins = files.map((f) => loadHeader(f));
  for (const [i, p] of plugins.entries()) {
    const id = p.declaration.id;
    const clash = allProposals().some((d) => d.id === id) || plugins.slice(0, i).some((q) => q.declaration.id === id);
    if (clash) fail(p.idPos, `found proposal id ${id}, which is already taken (${[...allProposals().map((d) => d.id), ...plugins.slice(0, i).map((q) => q.declaration.id)].join(', ')}), expected a new one: add //@ @id NAME to the header`);
  }
  registerProposals(plugins);
  for (const p of plugins) {
    registerGenericDecoder(p.declaration.id, p.semantics);
    registered.set(p.declaration.id, p);
  }
  return plugins.map((p) => p.declaration.id);
}

const registered = new Map<string, HeaderPlugin>();

/** The header a registered proposal came from, if it did. */
export const headerOf = (id: string): HeaderPlugin | undefined => registered.get(id);
