/** Word wrapping for the review's plain-text output (mailing-list replies: 100 columns). */
export const WIDTH = 100;

/** Wraps text at word boundaries; continuation lines get `indent`. */
export function wrap(text: string, indent: string, first = indent): string {
  const lines: string[] = [];
  let line = first;
  // A number and its unit ("16 B") stay on one line.
  for (const word of text.split(/(?<!\d)\s+|\s+(?!B\b)/).filter(Boolean)) {
    const fresh = line === first || line === indent;
    if (!fresh && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line += (fresh ? '' : ' ') + word;
  }
  lines.push(line);
  return lines.join('\n');
}
