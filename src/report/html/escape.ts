/**
 * HTML built from a tagged template that escapes every interpolated value unless it is already
 * SafeHtml: a string from a results file cannot become markup by being forgotten somewhere.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values alike (quotes included). */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);

export type HtmlPart = SafeHtml | string | number | boolean | null | undefined | readonly HtmlPart[];

function part(v: HtmlPart): string {
  if (v === null || v === undefined || v === false || v === true) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlPart[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** Markup written by this program (a fixed string), passed through unescaped. */
export const trusted = (markup: string): SafeHtml => new SafeHtml(markup);

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as \u escapes so no
 * string can close the script element or open a comment, and U+2028/U+2029 escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
