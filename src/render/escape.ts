/**
 * Escapers for every place a string from the data (step names, owners, file names, notes, statements)
 * lands in an output. Each output format gets its own function; render code never concatenates raw data.
 */

/*
 * Bidi controls (LRE…RLO, LRI…PDI, LRM/RLM/ALM) can make a name display as something else ("Trojan source");
 * C0/C1 controls are invalid in XML 1.0 and invisible elsewhere. Both are shown as U+FFFD so a reader sees them.
 */
const UNSAFE_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/g;

/** Replaces bidi overrides and control characters (not tab/newline) with U+FFFD. */
export function neutralizeControls(text: string): string {
  return text.replace(UNSAFE_CONTROLS, '\uFFFD');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return neutralizeControls(text).replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]);
}

/** Escapes text for SVG/XML content and attributes (same five entities; `]]>` cannot survive because `>` is escaped). */
export function escapeXml(text: string): string {
  return escapeHtml(text);
}

/**
 * Escapes text for Markdown table cells and prose: backslash-escapes the characters that start markup
 * (`| * _ [ ] < > \` # ! ~` and the backtick), and folds newlines so a cell stays one row.
 * `<` and `>` become entities too, since CommonMark would otherwise pass raw HTML through.
 */
export function escapeMarkdown(text: string): string {
  return neutralizeControls(text)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]|#!~]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Serializes a value as JSON that is safe inside an HTML `<script>` element: `<`, `>`, `&` and the JS line
 * terminators U+2028/U+2029 become `\uXXXX` escapes, so `</script>` or `<!--` in a name cannot end the element.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One CSV cell per RFC 4180, guarded against formula injection: a text cell starting with `=`, `+`, `-`, `@`,
 * tab or CR gets a leading `'` (OWASP advice) so a spreadsheet shows it as text. Numbers are written as-is.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
