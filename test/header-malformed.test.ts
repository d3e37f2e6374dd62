/**
 * Malformed headers: each is an InputError "file:line:col: found X, expected Y" naming the spot,
 * through the API (a table of cases) and through the CLI (exit 2, one line, no stack trace).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InputError } from '../src/errors.js';
import { loadHeader } from '../src/header/load.js';
import { runCli } from './helpers.js';

/** A prototype for cases that need one to reach the annotations. */
const SYS = 'long sys_x(struct s *args, size_t size);';
const S = 'struct s { __u32 a; __u32 b; };';

const CASES: ReadonlyArray<{ what: string; source: string; at: string; error: RegExp }> = [
  { what: 'unknown type', source: 'struct s { __u46 x; };', at: '1:12', error: /found unknown type "__u46", expected a type/ },
  { what: 'unterminated struct', source: 'struct s {\n\tint a;\n', at: '3:1', error: /found end of file, expected "}" closing struct s opened at 1:10/ },
  { what: 'array bound 0', source: 'struct s { int a[0]; };', at: '1:18', error: /found array bound 0, expected a positive length/ },
  { what: 'negative array bound', source: '#define N (2 - 3)\nstruct s { int a[N]; };', at: '2:18', error: /found array bound -1, expected a positive length/ },
  { what: 'array bound that is no constant', source: 'struct s { int a[x]; };', at: '1:18', error: /found x, expected a constant: x is neither #defined nor an enumerator/ },
  { what: 'array bound with a floating-point number', source: 'struct s { int a[1.5]; };', at: '1:18', error: /found "1\.5", expected an integer constant/ },
  { what: 'array bound whose sizeof differs between ABIs', source: 'struct s { char a[sizeof(long)]; };', at: '1:19', error: /found sizeof\(long\), which differs between ABIs \(8 on x86_64.*4 on i386/ },
  { what: 'arrays of arrays', source: 'struct s { int a[2][3]; };', at: '1:20', error: /found a second array dimension/ },
  { what: 'duplicate member', source: 'struct s {\n\tint a;\n\tlong a;\n};', at: '3:7', error: /found a second member a in struct s \(the first at 2:6\)/ },
  { what: 'duplicate member through an anonymous union', source: 'struct s {\n\tint a;\n\tunion { int a; long b; };\n};', at: '3:14', error: /found a second member a in struct s/ },
  { what: 'a struct that contains itself', source: 'struct s {\n\tint a;\n\tstruct s inner;\n};', at: '3:11', error: /found struct s inside its own definition, expected a complete type \(a struct cannot contain itself; use a pointer\)/ },
  { what: 'a macro defined in terms of itself', source: '#define A (B + 1)\n#define B (A * 2)\nstruct s { int x[A]; };', at: '2:12', error: /found macro A defined in terms of itself \(A -> B -> A\)/ },
  { what: 'a function-like macro in a bound', source: '#define TWICE(x) ((x) * 2)\nstruct s { int x[TWICE(2)]; };', at: '2:18', error: /found a call of TWICE\(\.\.\.\), expected a constant expression \(function-like macros are outside the subset\)/ },
  { what: 'a bitfield', source: 'struct s { int a : 3; };', at: '1:18', error: /found ":" after a, expected ";" \(bitfields are outside the subset/ },
  { what: 'a function pointer', source: 'struct s { void (*fn)(void); };', at: '1:17', error: /found "\(", expected a member name \(function pointers/ },
  { what: 'an empty struct', source: 'struct s { };', at: '1:8', error: /found an empty struct s, expected at least one member/ },
  { what: 'a float member', source: 'struct s { float f; };', at: '1:12', error: /found "float", expected a type of the subset/ },
  { what: 'a __kernel_ type that differs between ABIs', source: 'struct s { __kernel_mode_t m; };', at: '1:12', error: /found __kernel_mode_t, which differs between ABIs \(unsigned short on arm and m68k/ },
  { what: 'an attribute outside the subset', source: 'struct s { int a __attribute__((deprecated)); };', at: '1:33', error: /found attribute deprecated, expected packed or aligned\(N\)/ },
  { what: 'a packed enum', source: 'enum __attribute__((packed)) e { A, B };\nstruct s { enum e x; };', at: '1:6', error: /found an attribute on an enum, expected none/ },
  { what: 'aligned(3)', source: 'struct s { int a __attribute__((aligned(3))); };', at: '1:33', error: /found aligned\(3\), expected a power of two/ },
  { what: 'an unterminated comment', source: 'struct s { int a; };\n/* no end', at: '2:1', error: /found an unterminated comment/ },
  { what: 'an unexpected character', source: 'struct s { int $a; };', at: '1:16', error: /found unexpected character "\$"/ },
  { what: 'an include clonebench cannot follow', source: '#include <linux/fcntl.h>\n' + S, at: '1:2', error: /found #include <linux\/fcntl\.h>, expected only headers whose types clonebench knows/ },
  { what: 'a conditional on the target', source: '#ifdef __x86_64__\nstruct s { long a; };\n#endif', at: '1:8', error: /found a test of __x86_64__, which differs between ABIs/ },
  { what: '#if without #endif', source: '#ifndef GUARD\n#define GUARD\n' + S, at: '1:1', error: /found #ifndef without #endif, expected #endif before the end of file/ },
  { what: '#else without #if', source: S + '\n#else', at: '2:1', error: /found #else without an open #if/ },
  { what: '#pragma pack', source: '#pragma pack(1)\n' + S, at: '1:2', error: /found #pragma pack \( 1 \), expected only #pragma once/ },
  { what: 'no syscall prototype', source: S, at: '1:32', error: /found end of file, expected a syscall prototype \(long sys_NAME\(\.\.\.\); or SYSCALL_DEFINEn/ },
  { what: 'two syscall prototypes', source: S + '\nlong sys_a(int x);\nlong sys_b(int y);', at: '3:6', error: /found a second syscall prototype \(b; the first, a, at 2:6\)/ },
  { what: 'a function that is not a syscall', source: S + '\nint helper(int x);', at: '2:5', error: /found function helper\(\), expected a syscall prototype/ },
  { what: 'a struct passed by value', source: S + '\nlong sys_x(struct s args);', at: '2:21', error: /found argument args of type struct s passed by value, expected a pointer/ },
  { what: 'SYSCALL_DEFINE2 with three arguments', source: S + '\nSYSCALL_DEFINE2(x, int, a, int, b, int, c);', at: '2:1', error: /found SYSCALL_DEFINE2 with 3 argument\(s\), expected 2/ },
  { what: 'an argument without a name', source: S + '\nlong sys_x(struct s *, size_t size);', at: '2:22', error: /expected a name for argument #1 \(annotations refer to arguments by name\)/ },
  { what: 'an annotation naming a missing member', source: S + '\n' + SYS + '\n//@ @zero s.c', at: '3:11', error: /found s\.c, but struct s has no member c \(members: a, b\)/ },
  { what: 'an annotation naming a missing struct', source: S + '\n' + SYS + '\n//@ @carries t.a stack', at: '3:14', error: /found t\.a, but there is no struct or union t in this header \(s\)/ },
  { what: 'an annotation naming a missing argument', source: S + '\n' + SYS + '\n//@ @carries stak stack', at: '3:14', error: /found stak, which names no argument of sys_x \(arguments: args, size\)/ },
  { what: 'an unknown annotation', source: S + '\n' + SYS + '\n/*@\n * @colour red\n */', at: '4:4', error: /found @colour, expected an annotation: @id, @title/ },
  { what: 'text outside an annotation in an annotation comment', source: S + '\n' + SYS + '\n/*@ id x */', at: '3:5', error: /found "id" in an annotation comment, expected @keyword/ },
  { what: 'an unknown errno', source: S + '\n' + SYS + '\n//@ @errno EWHATEVER -- never', at: '3:12', error: /found "EWHATEVER", expected an errno name/ },
  { what: 'a check without what it checks', source: S + '\n' + SYS + '\n//@ @errno EINVAL size-below-min', at: '3:19', error: /found size-below-min, which needs @size, expected @size ARG struct=\.\.\. first/ },
  { what: 'an unknown pid order', source: S + '\n' + SYS + '\n//@ @pids s.a count=s.b order=sideways', at: '3:31', error: /found "sideways", expected the pid order: outermost-first, innermost-first/ },
  { what: '@pids on a member that cannot hold pids', source: 'struct s { __u32 a; __u32 b; struct { int x; } c; };\n' + SYS + '\n//@ @pids s.c count=s.a order=innermost-first', at: '3:11', error: /found s\.c of type struct s__c, expected a pointer to pids/ },
  { what: '@flags on a struct member', source: 'struct t { int x; };\nstruct s { struct t in; __u32 b; };\n' + SYS + '\n//@ @flags s.in', at: '4:12', error: /found s\.in of type struct t, expected a scalar, an array of words or a pointer to words/ },
  { what: 'a counted flag group without max', source: 'struct s { __u32 n; __u32 *words; };\n' + SYS + '\n//@ @flags s.words count=s.n', at: '3:5', error: /found @flags s\.words with count=s\.n and no max=N/ },
  { what: 'two @id', source: S + '\n' + SYS + '\n//@ @id a\n//@ @id b', at: '4:5', error: /found a second @id \(the first at 3:5\), expected one/ },
  { what: '@since a version @size does not list', source: S + '\n#define V0 8\n' + SYS + '\n//@ @size size struct=s rule=copy-struct-from-user versions=V0\n//@ @since s.b V1', at: '5:16', error: /found V1, expected one of the versions of @size: V0/ },
  { what: '@legacy-clone-order on other arguments', source: S + '\n' + SYS + '\n//@ @legacy-clone-order', at: '3:5', error: /found @legacy-clone-order on sys_x\(args, size\), expected the five arguments flags, stack, parent_tid, child_tid, tls/ },
];

describe('malformed headers: file:line:col, what was found, what was expected', () => {
  it(`${CASES.length} cases, at least 20`, () => assert.ok(CASES.length >= 20));
  for (const c of CASES) {
    it(c.what, () => {
      assert.throws(
        () => loadHeader('bad.h', c.source),
        (e: unknown) => {
          assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
          assert.ok(e.message.startsWith(`bad.h:${c.at}: `), `position: ${e.message}`);
          assert.match(e.message, c.error);
          assert.ok(!e.message.includes('\n'), 'one line');
          return true;
        },
      );
    });
  }
});

describe('malformed headers through the CLI: exit 2, one line on stderr, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clonebench-headers-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const expectExit2 = (args: string[], pattern: RegExp) => {
    const r = runCli(args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, '');
  };
  for (const command of ['abi', 'review', 'encode', 'run']) {
    const c = CASES.find((x) => x.what === 'an annotation naming a missing member')!;
    it(`${command} --header with ${c.what}`, () => {
      const f = write(`${command}.h`, c.source);
      expectExit2([command, '--header', f], new RegExp(`^clonebench: ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${c.at}: found s\\.c, but struct s has no member c`));
    });
  }
  it('a header that does not exist', () => expectExit2(['abi', '--header', join(dir, 'nope.h')], /^clonebench: .*nope\.h: cannot read the header \(ENOENT\)/));
  it('a proposal id that is taken', () => {
    const f = join(process.cwd(), 'abi', 'headers', 'clone3.h');
    expectExit2(['abi', '--header', f, f], /clone3\.h:\d+:8: found proposal id clone3_h, which is already taken .*expected a new one: add \/\/@ @id NAME/);
  });
  it('a syntax error deep in a header', () => {
    const f = write('deep.h', '#include <linux/types.h>\n\nstruct ok { __u64 a; };\n\nstruct bad {\n\t__u64 a;\n\t__u64 b\n\t__u64 c;\n};\n');
    expectExit2(['review', '--header', f], /deep\.h:8:2: found "__u64" after the type __u64, expected a declarator|deep\.h:8:2: found "__u64", expected ";" after a member declaration/);
  });
});
