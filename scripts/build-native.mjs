// Builds the native code with the system `cc` only (no network, no extra packages), each
// output only when its source (or a header in native/, or this script) is newer:
//   native/<name>.c       -> build/<name>.so   (shared library, loaded with koffi)
//   native/<name>.main.c  -> build/<name>      (small helper executable)
// Next to each output it writes build/<output>.cflags.json (compiler, version, flags), which
// the results file's environment block reports.
import { execFileSync } from 'node:child_process';
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
  process.stdout.write(`${cc} ${args.join(' ')}\n`);
  execFileSync(cc, args, { stdio: 'inherit' });
  writeFileSync(`${target}.cflags.json`, `${JSON.stringify({ cc, version: ccVersion(), flags, source: `native/${file}` })}\n`);
}
