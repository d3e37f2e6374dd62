/** What the header parser produces: declarations with positions, in the C type model's spelling. */
import type { Comment, Pos } from './tokens.js';
import type { Define } from './preprocess.js';

/** An array bound: flexible ([]), or a length, with the constant's name when the bound is one name. */
export type ArrayBound = { flex: true } | { flex: false; length: number; name?: string };

export interface TypeRef {
  /** The base in the model's spelling: a scalar name ("__u32", "unsigned long"), "struct x", "union x" or "void". */
  base: string;
  pointers: number;
  array?: ArrayBound;
  /** aligned(N) that came with a typedef. */
  align?: number;
  /** Declared with an enum type: its name and range (base is the integer type the compiler picks). */
  enumType?: { name: string; range: readonly [string, string] };
  pos: Pos;
}

export interface MemberDef {
  name: string;
  /** A C11 anonymous struct or union member: its name is made up, its members are reached directly. */
  anonymous: boolean;
  type: TypeRef;
  align?: number;
  packed?: boolean;
  pos: Pos;
}

export interface RecordDef {
  kind: 'struct' | 'union';
  name: string;
  /** The name was made up (anonymous or unnamed nested record). */
  synthesized: boolean;
  members: MemberDef[];
  packed?: boolean;
  align?: number;
  pos: Pos;
  complete: boolean;
  /** How C code names it ("struct x", or a typedef name); none for an anonymous or member-named record. */
  cName?: string;
}

export interface EnumDef {
  name: string;
  min: bigint;
  max: bigint;
  pos: Pos;
}

export interface SyscallArgDef {
  name: string;
  type: TypeRef;
  pos: Pos;
}

export interface SyscallProto {
  name: string;
  args: SyscallArgDef[];
  returns: string;
  pos: Pos;
}

export interface ParsedHeader {
  file: string;
  /** Every struct and union, in the order their definitions close (nested before enclosing). */
  records: RecordDef[];
  typedefs: ReadonlyMap<string, { type: TypeRef; pos: Pos }>;
  enums: ReadonlyMap<string, EnumDef>;
  enumConstants: ReadonlyMap<string, { value: bigint; pos: Pos }>;
  defines: ReadonlyMap<string, Define>;
  /** Comments of the active regions (annotations among them). */
  comments: readonly Comment[];
  syscall?: SyscallProto;
  /** Where the file ends, for errors about something missing. */
  end: Pos;
  /** The value of a #define or an enumerator, by name; undefined when it has none. */
  constant(name: string, use?: Pos): bigint | undefined;
}

/** A TypeRef in the model's type-string syntax ("pid_t *", "unsigned long[CLONE_FLAGS_WORDS]"). */
export function typeString(t: TypeRef): string {
  const stars = t.pointers ? ` ${'*'.repeat(t.pointers)}` : '';
  const array = !t.array ? '' : t.array.flex ? '[]' : `[${t.array.name ?? t.array.length}]`;
  return `${t.base}${stars}${array}`;
}
