/**
 * The HTML report: the page as text (CSP, hashes, no external references, escaping), and the
 * page in headless Chromium with every network request blocked.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { escapeHtml, html, jsonForScript } from '../src/report/html/escape.js';
import { renderReport } from '../src/report/index.js';
import { runCli } from './helpers.js';
import { LEVELS, makeResults, PROPOSALS, requestName, writeFixtures, type FixtureOptions } from './report-fixtures.js';

const CHROMIUM = process.env.CLONEBENCH_CHROMIUM ?? '/usr/bin/chromium';
const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)><!--\u2028\u2029&amp;"\'';
const one = (path: string, o: FixtureOptions = {}) => ({ path, results: makeResults(o) });
/** clone3 pids@4 co-located costs 30 ns more than its model says; page ends take a slow path. */
const DISAGREE: FixtureOptions = { disagree: { match: /^proposals\/clone3\/pids@4@co-located/, extraNs: 30 }, slowPathNs: 90 };

const inlineScripts = (page: string) => [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);

test('escaping: markup characters in text and attributes, and JSON that cannot leave its script element', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  assert.equal(String(html`<p title="${'"><b>'}">${'</p><script>'}${['<i>', 3]}</p>`), '<p title="&quot;&gt;&lt;b&gt;">&lt;/p&gt;&lt;script&gt;&lt;i&gt;3</p>');
  const json = jsonForScript({ s: '</script><!-- & \u2028\u2029' });
  assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(json), { s: '</script><!-- & \u2028\u2029' });
});

test('html: a strict CSP whose hashes are exactly the inline scripts; no external reference; file strings escaped', () => {
  const page = renderReport([one(`results/${HOSTILE}.json`, { inject: HOSTILE })], 'html');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page);
  assert.ok(meta, 'a CSP meta tag');
  assert.ok(meta.index < page.indexOf('<script'), 'the CSP comes before any script');
  const csp = meta[1].replace(/&#39;/g, "'");
  assert.match(csp, /^default-src 'none'; /);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
  const scripts = inlineScripts(page);
  assert.equal(scripts.length, 4, 'vega, vega-lite, vega-embed and the boot script');
  const allowed = /script-src ([^;]+)/.exec(csp)![1].trim().split(/\s+/);
  assert.deepEqual(allowed, scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`));
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
  assert.match(csp, new RegExp(`style-src 'sha256-${createHash('sha256').update(style).digest('base64').replace(/[+/]/g, '\\$&')}'`));
  // Only the page's own elements: 4 scripts + the JSON data block, whatever the file holds.
  assert.equal(page.match(/<script/gi)!.length, 5);
  assert.equal(page.match(/<\/script/gi)!.length, 5);
  assert.doesNotMatch(page.replace(/<script[\s\S]*?<\/script>/g, ''), /<img|<!--/i);
  assert.ok(page.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;'));
  // No attribute outside the scripts points anywhere but into the page.
  const markup = page.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/, '');
  for (const m of markup.matchAll(/\s(src|href|action|srcset|data)=("[^"]*"|'[^']*')/g)) assert.match(m[2], /^["']#/, `external reference: ${m[0]}`);
});

test('html: written atomically to --out by the CLI; the default format is html', () => {
  const { dir, paths } = writeFixtures({ 'a.json': makeResults() });
  const out = join(dir, 'sub', 'r.html');
  const r = runCli(['report', paths['a.json'], '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `report: ${out}\n`);
  assert.ok(readFileSync(out, 'utf8').startsWith('<!DOCTYPE html>'));
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['r.html'], 'no temp file left');
  const unwritable = runCli(['report', paths['a.json'], '--out', '/proc/clonebench/r.html']);
  assert.equal(unwritable.status, 2);
  assert.match(unwritable.stderr, /^clonebench: --out: cannot create the directory \/proc\/clonebench/);
});

interface PageRun {
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens a report in headless Chromium with every non-file request aborted (and recorded). */
async function withPage<T>(t: TestContext, file: string, fn: (page: import('playwright-core').Page, run: PageRun) => Promise<T>): Promise<T | undefined> {
  if (!existsSync(CHROMIUM)) {
    t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    return undefined;
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'clonebench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 1000 },
    timeout: 30_000,
  });
  const run: PageRun = { consoleErrors: [], requests: [], dialogs: [] };
  try {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      run.requests.push(url);
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') run.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => run.consoleErrors.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      run.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
    return await fn(page, run);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

test('browser: no network, no console error, every chart drawn, one answer row per interface and request, every clone and placement shown', { timeout: 120_000 }, async (t) => {
  const results = makeResults();
  const { dir, paths } = writeFixtures({ 'a.json': results });
  const file = join(dir, 'index.html');
  assert.equal(runCli(['report', paths['a.json'], '--out', file]).status, 0);
  await withPage(t, file, async (page, run) => {
    const charts = await page.$$eval('.vega', (els) =>
      els.map((el) => ({ kind: el.getAttribute('data-chart'), rendered: el.getAttribute('data-rendered'), marks: el.querySelectorAll('g.role-mark > *').length, points: el.querySelectorAll('g.mark-symbol.role-mark path').length })),
    );
    assert.deepEqual(charts.map((c) => c.kind), ['answer', 'copy-fit', 'copy-fit', 'boundary', 'clone', 'pids']);
    for (const c of charts) {
      assert.equal(c.rendered, 'ok', `${c.kind} chart`);
      assert.ok(c.marks > 0, `${c.kind} chart has no marks`);
    }
    // One point per drawn answer row (measured and zero, at every placement; not the refused).
    assert.equal(charts[0].points, results.answer!.rows.filter((r) => r.status === 'measured' || r.status === 'zero').length);
    // The set_tid chart: a point per fit point of both placement models; the boundary: per size.
    assert.equal(charts[1].points, results.fits.filter((f) => f.placement).reduce((n, f) => n + f.points.length, 0));
    assert.equal(charts[3].points, results.boundary!.rows.length);
    assert.equal(charts[5].points, 6, 'set_tid at depths 1, 2, 4 and 8, ns_last_pid both ways at depth 1');
    // The answer table at the headline placement: one row per interface and request.
    const answer = await page.$$eval('table.answer-headline tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent).join(' ')));
    assert.deepEqual(answer, PROPOSALS.flatMap((p) => LEVELS.map((l) => `${p} ${requestName(l)}`)));
    // A share column for every clone variant, and a column group per placement.
    assert.deepEqual(await page.$$eval('table.answer-every-clone th[data-clone]', (th) => th.map((x) => x.getAttribute('data-clone'))), results.answer!.clones.map((c) => c.variant));
    assert.equal(await page.$$eval('table.answer-every-clone tbody tr:first-child td', (td) => td.length), 2 + results.answer!.clones.length);
    assert.deepEqual(await page.$$eval('table.answer-placements th.placement', (th) => th.map((x) => x.getAttribute('data-placement'))), ['co-located', 'scattered', 'page-end']);
    // The verdicts and the CPU flags are on the page as text.
    const text = await page.innerText('body');
    assert.match(text, /Every measured plan agrees with its model, at every placement/);
    assert.match(text, /Page end: slow path on this CPU\? no\./);
    assert.match(text, /CPU flags: pti no, pcid yes, fsrm yes, erms yes/);
    assert.deepEqual(run.requests, [], 'network requests were attempted');
    assert.deepEqual(run.consoleErrors, []);
    // The policy is in force: an inline script the page did not ship does not run.
    await page.addScriptTag({ content: 'document.body.setAttribute("data-injected", "ran")' }).catch(() => undefined);
    assert.equal(await page.getAttribute('body', 'data-injected'), null, 'an injected inline script ran: the CSP is not in force');
    assert.ok(run.consoleErrors.some((e) => /Content Security Policy/.test(e)), 'the browser reported the refused script');
    // The temp directory goes when the tests end; CLONEBENCH_SCREENSHOT=path keeps a copy.
    const shot = process.env.CLONEBENCH_SCREENSHOT ?? join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: false });
    assert.ok(statSync(shot).size > 10_000);
    t.diagnostic(`screenshot: ${shot}`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.evaluate("getComputedStyle(document.querySelector('nav.toc')).display"), 'none', 'print CSS hides the navigation');
  });
});

test('browser: a plan that disagrees with its model is said so in the page text and marked in its row; a slow path at page ends is stated', { timeout: 120_000 }, async (t) => {
  const { dir, paths } = writeFixtures({ 'd.json': makeResults(DISAGREE) });
  const file = join(dir, 'disagree.html');
  assert.equal(runCli(['report', paths['d.json'], '--out', file]).status, 0);
  await withPage(t, file, async (page, run) => {
    const box = await page.innerText('.warning.disagreements');
    // The co-located plan made 30 ns dearer, and every page-end plan: with a slow path there,
    // the page-end model misses its own points and no plan is said to agree with it.
    assert.match(box, /^\d+ plans disagree with their model/);
    assert.match(box, /at page-end: .*copy\/model-page-end misses its own points by [\d.]+ ns \(residual\)/);
    assert.match(box, /clone3 pids@4 at co-located: measured 1\d\d\.\d ns \[[\d., ]+\], model \d+\.\d ns \[[\d., ]+\] \(copy\/model-caller\)/);
    assert.ok(await page.isVisible('.warning.disagreements'), 'the box is visible');
    const marked = await page.$$eval('table.answer-headline tr.disagree', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    assert.equal(marked.length, 1);
    assert.deepEqual(marked[0].slice(0, 2), ['clone3', 'pids@4']);
    assert.ok(marked[0].includes('NO'), marked[0].join(' | '));
    assert.equal(await page.$$eval('table.answer-headline td.agree.no', (td) => td.length), 1);
    const verdict = await page.innerText('#answer-boundary');
    assert.match(verdict, /^Page end: slow path on this CPU\? yes\. this CPU takes a slow path for short copies/);
    assert.deepEqual(run.consoleErrors, []);
    assert.deepEqual(run.requests, []);
  });
});

test('browser: <script> in a results file stays inert text; nothing runs, loads or alerts', { timeout: 120_000 }, async (t) => {
  const { dir, paths } = writeFixtures({ 'h.json': makeResults({ inject: HOSTILE }) });
  const file = join(dir, 'hostile.html');
  assert.equal(runCli(['report', paths['h.json'], '--out', file]).status, 0);
  await withPage(t, file, async (page, run) => {
    assert.equal(await page.$$eval('script', (s) => s.length), 5, 'only the page\'s own script elements');
    assert.equal(await page.$$eval('img', (s) => s.length), 0);
    const h1 = await page.$eval('h1', (el) => el.textContent ?? '');
    assert.ok(h1.includes('</script><script>alert(1)</script><img src=x onerror=alert(2)>'), h1);
    assert.ok((await page.title()).includes('<script>alert(1)</script>'));
    assert.deepEqual(run.dialogs, []);
    assert.deepEqual(run.requests, []);
    assert.deepEqual(run.consoleErrors, []);
    assert.ok((await page.$$eval('.vega', (els) => els.map((e) => e.getAttribute('data-rendered')))).every((x) => x === 'ok'));
  });
});

test('browser: a report from three files shows three columns side by side, and each run in full', { timeout: 120_000 }, async (t) => {
  const { dir, paths } = writeFixtures({
    'a.json': makeResults({ host: 'alpha' }),
    'b.json': makeResults({ host: 'beta', kernelRelease: '6.19.0', skips: true }),
    'c.json': makeResults({ host: 'gamma', cpuModel: 'Intel Xeon', cpuFlags: { pti: true, pcid: false } }),
  });
  const file = join(dir, 'three.html');
  assert.equal(runCli(['report', paths['a.json'], paths['b.json'], paths['c.json'], '--out', file]).status, 0);
  await withPage(t, file, async (page, run) => {
    const heads = await page.$$eval('#side-by-side thead tr', (rows) => rows.map((r) => [...r.querySelectorAll('th')].map((th) => th.textContent ?? '')));
    assert.ok(heads.length >= 7, 'a table per key figure');
    for (const h of heads) {
      assert.equal(h.length, 4, h.join(' | '));
      assert.match(h[1], /^\[1\] alpha.*pti no, pcid yes, fsrm yes, erms yes$/);
      assert.match(h[2], /^\[2\] beta.*Linux 6\.19\.0/);
      assert.match(h[3], /^\[3\] gamma.*Intel Xeon.*pti yes, pcid no/);
    }
    assert.equal(await page.$$eval('h1[id^="run"]', (els) => els.length), 3);
    assert.deepEqual(run.consoleErrors, []);
    assert.deepEqual(run.requests, []);
  });
});

test('browser: the HTML form of compare draws every change and marks the regression', { timeout: 120_000 }, async (t) => {
  const { dir, paths } = writeFixtures({ 'base.json': makeResults(), 'slow.json': makeResults({ scale: { match: /^floor\/getppid$/, factor: 1.2 } }) });
  const file = join(dir, 'compare.html');
  const r = runCli(['compare', paths['base.json'], paths['slow.json'], '--format', 'html', '--out', file]);
  assert.equal(r.status, 1, r.stderr);
  await withPage(t, file, async (page, run) => {
    const chart = await page.$eval('.vega', (el) => ({ rendered: el.getAttribute('data-rendered'), points: el.querySelectorAll('g.mark-symbol.role-mark path').length }));
    assert.equal(chart.rendered, 'ok');
    const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => ({ cls: tr.className, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '') })));
    const compared = rows.filter((x) => x.cells[4] !== '-').length;
    assert.equal(chart.points, compared, 'one point per compared metric');
    assert.deepEqual(rows.filter((x) => x.cls === 'regressed').map((x) => `${x.cells[0]}/${x.cells[1]}`), ['floor/getppid']);
    assert.deepEqual(run.consoleErrors, []);
    assert.deepEqual(run.requests, []);
  });
});
