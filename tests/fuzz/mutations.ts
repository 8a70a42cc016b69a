/**
 * Input mutations for the fuzz suite: byte-level (flip, insert, delete, duplicate, truncate) and structure-aware
 * (lines of text formats, nodes of JSON documents, hostile values: NUL, CR, invalid UTF-8, far-future epochs,
 * prototype keys, huge numbers). All driven by fast-check so a failure shrinks and replays from its seed.
 */
import fc from 'fast-check';

/**
 * Far-future instants inside the Date range ("9999-12-31T23:59:59Z", epoch s 8600000000000) make analyze build one
 * weekly bucket per week of the span (issue 11 #1, owned by the analysis side): 3.5 s and a ~150 MB report for one
 * input. They are left out until #1 lands, so the suite stays bounded; add them back to HOSTILE_TEXTS and
 * JSON_REPLACEMENTS then. (9000000000000 s is past the Date range and is rejected at ingest: kept.)
 */
export const PENDING_ISSUE_11_ITEM_1 = ['9999-12-31T23:59:59Z', '8600000000000'] as const;

/** Values known to have broken readers or the pipeline somewhere (issue 11 and before). */
export const HOSTILE_TEXTS = [
  '\u0000',
  '\r',
  '\r\n',
  '"',
  '""',
  ',',
  ';',
  '\t',
  '9000000000000',
  '0000-01-01T00:00:00Z',
  '-1',
  'NaN',
  '1e400',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '\u2028',
  '\uFEFF',
  'Pr\u00fcfung',
  '<event>',
  '</trace>',
  '<!--',
  ']]>',
  '{',
  '}',
  '[',
  'null',
  '',
] as const;

const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xfc]), Buffer.from([0xed, 0xa0, 0x80])];

type ByteMutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'hostile'; at: number; text: number }
  | { kind: 'invalid-utf8'; at: number; which: number };

/** Positions are fractions of the length (0–1), so one arbitrary fits every input. */
const position = fc.double({ min: 0, max: 1, noNaN: true });

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position.map((p) => p), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 256 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('hostile' as const), at: position, text: fc.integer({ min: 0, max: HOSTILE_TEXTS.length - 1 }) }),
  fc.record({ kind: fc.constant('invalid-utf8' as const), at: position, which: fc.integer({ min: 0, max: INVALID_UTF8.length - 1 }) }),
);

export function applyByteMutation(input: Buffer, mutation: ByteMutation): Buffer {
  const at = Math.min(input.length, Math.floor(mutation.at * input.length));
  switch (mutation.kind) {
    case 'flip': {
      const out = Buffer.from(input);
      if (at < out.length) out[at] = mutation.value;
      return out;
    }
    case 'insert':
      return Buffer.concat([input.subarray(0, at), Buffer.from(mutation.bytes), input.subarray(at)]);
    case 'delete':
      return Buffer.concat([input.subarray(0, at), input.subarray(at + mutation.length)]);
    case 'duplicate':
      return Buffer.concat([input.subarray(0, at + mutation.length), input.subarray(at)]);
    case 'truncate':
      return input.subarray(0, at);
    case 'hostile':
      return Buffer.concat([input.subarray(0, at), Buffer.from(HOSTILE_TEXTS[mutation.text]), input.subarray(at)]);
    case 'invalid-utf8':
      return Buffer.concat([input.subarray(0, at), INVALID_UTF8[mutation.which], input.subarray(at)]);
  }
}

type LineMutation = { kind: 'duplicate' | 'delete' | 'swap' | 'crlf' | 'replace-cell'; line: number; other: number; text: number };

export const lineMutation: fc.Arbitrary<LineMutation> = fc.record({
  kind: fc.constantFrom('duplicate' as const, 'delete' as const, 'swap' as const, 'crlf' as const, 'replace-cell' as const),
  line: position,
  other: position,
  text: fc.integer({ min: 0, max: HOSTILE_TEXTS.length - 1 }),
});

/** Line-level mutation of a text format (CSV rows, XML lines); the header line may be hit too. */
export function applyLineMutation(input: Buffer, mutation: LineMutation): Buffer {
  const lines = input.toString('utf8').split('\n');
  const k = Math.min(lines.length - 1, Math.floor(mutation.line * lines.length));
  const j = Math.min(lines.length - 1, Math.floor(mutation.other * lines.length));
  switch (mutation.kind) {
    case 'duplicate':
      lines.splice(j, 0, lines[k]);
      break;
    case 'delete':
      lines.splice(k, 1);
      break;
    case 'swap':
      [lines[k], lines[j]] = [lines[j], lines[k]];
      break;
    case 'crlf':
      lines[k] = `${lines[k]}\r`;
      break;
    case 'replace-cell': {
      const cells = lines[k].split(',');
      cells[Math.min(cells.length - 1, Math.floor(mutation.other * cells.length))] = HOSTILE_TEXTS[mutation.text];
      lines[k] = cells.join(',');
      break;
    }
  }
  return Buffer.from(lines.join('\n'));
}

type JsonMutation = { path: number[]; replacement: number };

const JSON_REPLACEMENTS: unknown[] = [null, 0, -1, 9e15, 1e308, '', 'x', '2024-13-45T99:99:99Z', [], {}, [null], JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "c"}'), true, 'constructor', '\u0000', 'a'.repeat(5000)];

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.record({
  path: fc.array(fc.nat({ max: 1000 }), { minLength: 0, maxLength: 8 }),
  replacement: fc.integer({ min: 0, max: JSON_REPLACEMENTS.length + 1 }),
});

/** Replaces (or deletes, or duplicates) one node of a JSON document, walking `path` as child indexes. */
export function applyJsonMutation(input: Buffer, mutation: JsonMutation): Buffer {
  let root: unknown;
  try {
    root = JSON.parse(input.toString('utf8'));
  } catch {
    return input;
  }
  const holder = { root };
  let parent: Record<string, unknown> | unknown[] = holder as Record<string, unknown>;
  let key: string | number = 'root';
  for (const step of mutation.path) {
    const node: unknown = (parent as Record<string | number, unknown>)[key];
    if (node === null || typeof node !== 'object') break;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, k) => k) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node as Record<string, unknown> | unknown[];
    key = keys[step % keys.length];
  }
  const which = mutation.replacement;
  const target = parent as Record<string | number, unknown>;
  if (which === JSON_REPLACEMENTS.length) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete target[key];
  } else if (which === JSON_REPLACEMENTS.length + 1) {
    if (Array.isArray(parent)) parent.splice(Number(key), 0, structuredClone(parent[Number(key)]));
    else target[`${key}_copy`] = structuredClone(target[key]);
  } else {
    target[key] = structuredClone(JSON_REPLACEMENTS[which]);
  }
  // Deleting the root leaves nothing: an empty file.
  return Buffer.from(JSON.stringify(holder.root, null, 1) ?? '');
}
