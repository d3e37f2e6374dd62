/**
 * The chart libraries, read from node_modules when a report is written and inlined into the
 * page (one file that opens from file:// with no network): vega, vega-lite and vega-embed.
 * vega-embed carries vega's expression interpreter and uses it when asked for `ast: true`, so
 * no expression goes through `new Function` and the page's CSP needs no 'unsafe-eval'.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../../errors.js';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  let dir: string;
  try {
    dir = dirname(require.resolve(name));
  } catch (err) {
    throw new EnvironmentError(`the HTML report needs the npm package ${name}: ${(err as Error).message}; run \`npm ci\``);
  }
  // The packages export only their entry point; walk up to the folder that holds package.json.
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function readBundle(name: string, file: string): string {
  const path = join(packageDir(name), file);
  let code: string;
  try {
    code = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EnvironmentError(`the HTML report cannot read ${path}: ${(err as Error).message}; run \`npm ci\``);
  }
  return code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

export interface ChartScripts {
  /** In load order. */
  scripts: Array<{ name: string; code: string }>;
}

let cached: ChartScripts | null = null;

export function chartScripts(): ChartScripts {
  if (cached) return cached;
  const scripts = [
    { name: 'vega', code: readBundle('vega', 'build/vega.min.js') },
    { name: 'vega-lite', code: readBundle('vega-lite', 'build/vega-lite.min.js') },
    { name: 'vega-embed', code: readBundle('vega-embed', 'build/vega-embed.min.js') },
  ];
  for (const s of scripts)
    if (/<\/script|<!--/i.test(s.code)) throw new EnvironmentError(`${s.name}'s bundle contains "</script" or "<!--" and cannot be inlined as it is`);
  cached = { scripts };
  return cached;
}
