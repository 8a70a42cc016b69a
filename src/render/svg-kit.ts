import { escapeXml } from './escape.js';

/** Attribute values: numbers are rounded to 0.1 px so output is stable and short; strings are escaped. */
export type SvgAttributes = Record<string, string | number | null | undefined>;

function formatAttribute(value: string | number): string {
  if (typeof value === 'number') return String(Math.round(value * 10) / 10);
  return escapeXml(value);
}

/** One SVG element as text. `children` are already-built markup (from `el` or `text`), never raw data. */
export function el(name: string, attributes: SvgAttributes, children: readonly string[] = []): string {
  const attributeText = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== null && entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${formatAttribute(value)}"`)
    .join('');
  return children.length === 0 ? `<${name}${attributeText}/>` : `<${name}${attributeText}>${children.join('')}</${name}>`;
}

/** A text node from data: escaped. */
export function text(content: string): string {
  return escapeXml(content);
}

/** `<text>` with escaped content and, when the shown text was shortened, the full text in a `<title>`. */
export function label(content: string, attributes: SvgAttributes, fullText?: string): string {
  const title = fullText !== undefined && fullText !== content ? el('title', {}, [text(fullText)]) : '';
  return el('text', attributes, [title + text(content)]);
}

/*
 * Text width estimate per character class (em units, for a sans-serif at the given size). SVG has no layout
 * engine outside a browser, so the estimate errs wide: a label may end early, never overflow its box.
 */
function charWidthEm(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff00 && code <= 0xff60) || code >= 0x1f300)) return 1.05;
  if ('iljI.,:;\'|!()[] '.includes(char)) return 0.32;
  if ('mwMW@%'.includes(char)) return 0.92;
  if (char >= 'A' && char <= 'Z') return 0.7;
  if (char >= '0' && char <= '9') return 0.58;
  return 0.6;
}

/** Estimated rendered width in px of `content` at `fontSizePx`. */
export function estimateTextWidthPx(content: string, fontSizePx: number): number {
  let widthEm = 0;
  for (const char of content) widthEm += charWidthEm(char);
  return widthEm * fontSizePx;
}

/** Shortens `content` with a trailing `…` so its estimated width fits `maxWidthPx`. */
export function fitText(content: string, maxWidthPx: number, fontSizePx: number): string {
  if (estimateTextWidthPx(content, fontSizePx) <= maxWidthPx) return content;
  const budgetEm = maxWidthPx / fontSizePx - 0.7;
  let usedEm = 0;
  let shown = '';
  for (const char of content) {
    usedEm += charWidthEm(char);
    if (usedEm > budgetEm) break;
    shown += char;
  }
  return `${shown.trimEnd()}…`;
}
