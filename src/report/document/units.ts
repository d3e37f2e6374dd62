/** How numbers are printed in every format: one unit for a figure and its interval. */
import type { Estimate } from '../view-model/types.js';

/** ns below 10 us, us below 1 ms, ms above; the unit follows `scale` (the estimate), so a
 * figure and its interval share it. */
function nsUnit(scale: number): { div: number; unit: string; digits: number } {
  const a = Math.abs(scale);
  if (a >= 1e6) return { div: 1e6, unit: 'ms', digits: 3 };
  if (a >= 1e4) return { div: 1e3, unit: 'us', digits: 2 };
  return { div: 1, unit: 'ns', digits: a < 10 ? 2 : 1 };
}

export function ns(value: number, scale = value): string {
  const u = nsUnit(scale);
  return `${(value / u.div).toFixed(u.digits)} ${u.unit}`;
}

/** "19.05 us [18.18, 20.17]" */
export function nsWithCi(e: Estimate): string {
  const u = nsUnit(e.estimate);
  const f = (x: number) => (x / u.div).toFixed(u.digits);
  return `${f(e.estimate)} ${u.unit} [${f(e.ciLow)}, ${f(e.ciHigh)}]`;
}

/** Per-byte costs are hundredths of a ns. */
export const perByte = (e: Estimate): string => `${e.estimate.toFixed(4)} ns/B [${e.ciLow.toFixed(4)}, ${e.ciHigh.toFixed(4)}]`;

/** A share as a percentage with enough digits for a few hundredths of a percent. */
export function pct(ratio: number): string {
  const p = ratio * 100;
  if (p === 0) return '0';
  const a = Math.abs(p);
  return p.toFixed(a < 0.1 ? 4 : a < 1 ? 3 : a < 10 ? 2 : 1);
}

export const pctWithCi = (e: Estimate): string => `${pct(e.estimate)}% [${pct(e.ciLow)}, ${pct(e.ciHigh)}]`;

/** A figure in its unit, with or without its interval. */
export function figure(unit: 'ns' | 'ns/B' | 'ratio', e: Estimate, withCi: boolean): string {
  if (unit === 'ns/B') return withCi ? perByte(e) : `${e.estimate.toFixed(4)} ns/B`;
  if (unit === 'ratio') return withCi ? pctWithCi(e) : `${pct(e.estimate)}%`;
  return withCi ? nsWithCi(e) : ns(e.estimate);
}

const signed = (x: number, digits: number) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

/** A change as a signed percentage: ratio 1.2 -> "+20.0%"; a difference as a share -> "+1.2%". */
export function changePct(e: Estimate, method: 'ratio' | 'difference'): string {
  const shift = method === 'ratio' ? 1 : 0;
  const p = (x: number) => (x - shift) * 100;
  const digits = Math.max(Math.abs(p(e.ciLow)), Math.abs(p(e.ciHigh))) < 10 ? 2 : 1;
  return `${signed(p(e.estimate), digits)}% [${signed(p(e.ciLow), digits)}, ${signed(p(e.ciHigh), digits)}]`;
}

export const NOISE_MARK: Readonly<Record<string, string>> = { below: '', overlaps: '~', above: '*' };
