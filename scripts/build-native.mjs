// Builds the native code with the system `cc` only (no network, no extra packages), each
// output only when its source (or a header in native/, or this script) is newer:
//   native/<name>.c       -> build/<name>.so   (shared library, loaded with koffi)
//   native/<name>.main.c  -> build/<name>      (small helper executable)
// Next to each output it writes build/<output>.cflags.json (compiler, version, flags), which
// the results file's environment block reports.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'native');
const out = join(root, 'build');
mkdirSync(out, { recursive: true });
const COMMON = ['-O2', '-g', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-D_GNU_SOURCE'];
export const CFLAGS = [...COMMON, '-fPIC', '-shared'];
export const EXE_CFLAGS = [...COMMON];
const cc = process.env.CC ?? 'cc';
const headers = readdirSync(src).filter((f) => f.endsWith('.h')).map((f) => statSync(join(src, f)).mtimeMs);
const newestInput = Math.max(0, ...headers, statSync(fileURLToPath(import.meta.url)).mtimeMs);

/** One line on stderr and exit 1: `npm ci` on a machine without a toolchain must say what to install. */
function fail(message) {
  process.stderr.write(`clonebench build: ${message}\n`);
  process.exit(1);
}

const DEBIAN_COMPILER = 'install the Debian packages gcc and libc6-dev (apt-get install gcc libc6-dev)';
const DEBIAN_HEADERS = 'install the Debian packages libc6-dev and linux-libc-dev (apt-get install libc6-dev linux-libc-dev)';

/** Checked once, before the first compile: is `cc` there and can it run? */
let compilerChecked = false;
function checkCompiler() {
  if (compilerChecked) return;
  compilerChecked = true;
  const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  const named = `"${cc}"${process.env.CC ? ' (from CC)' : ''}`;
  if (r.error?.code === 'ENOENT') fail(`no C compiler: ${named} was not found; ${DEBIAN_COMPILER}, or set CC to a C compiler`);
  if (r.error) fail(`no usable C compiler: ${named}: ${r.error.message}; ${DEBIAN_COMPILER}, or set CC to a C compiler`);
}

/** Compiles one file; the compiler's messages go to stderr as they are, then one line of ours. */
function compile(file, args) {
  const r = spawnSync(cc, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.stderr) process.stderr.write(r.stderr);
  if (r.error) fail(`compiling native/${file}: ${r.error.message}`);
  if (r.status === 0) return;
  const header = /fatal error: ([^:\s]+\.h): No such file or directory/.exec(r.stderr ?? '');
  if (header) fail(`compiling native/${file} failed: a system header is missing (${header[1]}); ${DEBIAN_HEADERS}`);
  fail(`compiling native/${file} failed with ${r.signal ? `signal ${r.signal}` : `exit status ${r.status}`} (the compiler's messages are above)`);
}

function ccVersion() {
  try {
    return execFileSync(cc, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return 'unknown';
  }
}

for (const file of readdirSync(src).filter((f) => f.endsWith('.c'))) {
  const isExe = file.endsWith('.main.c');
  const target = join(out, isExe ? file.replace(/\.main\.c$/, '') : file.replace(/\.c$/, '.so'));
  const srcTime = Math.max(statSync(join(src, file)).mtimeMs, newestInput);
  if (existsSync(target) && statSync(target).mtimeMs >= srcTime && existsSync(`${target}.cflags.json`)) continue;
  const flags = isExe ? EXE_CFLAGS : CFLAGS;
  const args = [...flags, '-o', target, join(src, file)];
  checkCompiler();
  process.stdout.write(`${cc} ${args.join(' ')}\n`);
  compile(file, args);
  writeFileSync(`${target}.cflags.json`, `${JSON.stringify({ cc, version: ccVersion(), flags, source: `native/${file}` })}\n`);
}
