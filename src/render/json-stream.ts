import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * `JSON.stringify(value, null, 2) + '\n'` produced in pieces, byte for byte the same text, so a report with
 * 200,000 steps (half a gigabyte of JSON) is written without one string near V8's ~512 MB string limit
 * ("Invalid string length", issue 11 item 4). Objects and arrays down to SPLIT_DEPTH are walked; anything deeper
 * (one step, one edge) is one JSON.stringify call re-indented to its depth.
 */
const SPLIT_DEPTH = 3;

/** Pieces of the pretty JSON text (indent 2) of a plain JSON value, ending with a newline. */
export function* prettyJsonChunks(value: unknown): Generator<string> {
  yield* chunksOf(value, 0);
  yield '\n';
}

function* chunksOf(value: unknown, depth: number): Generator<string> {
  const isContainer = value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
  if (!isContainer || depth >= SPLIT_DEPTH) {
    const text = JSON.stringify(value, null, 2);
    yield depth === 0 || text === undefined ? (text ?? 'null') : text.replace(/\n/g, `\n${'  '.repeat(depth)}`);
    return;
  }
  const inner = '  '.repeat(depth + 1);
  const outer = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let k = 0; k < value.length; k++) {
      yield inner;
      const item: unknown = value[k];
      // As JSON.stringify: undefined, functions and symbols in arrays become null.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* chunksOf(item, depth + 1);
      yield k < value.length - 1 ? ',\n' : '\n';
    }
    yield `${outer}]`;
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined && typeof item !== 'function' && typeof item !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let k = 0; k < entries.length; k++) {
    const [key, item] = entries[k];
    yield `${inner}${JSON.stringify(key)}: `;
    yield* chunksOf(item, depth + 1);
    yield k < entries.length - 1 ? ',\n' : '\n';
  }
  yield `${outer}}`;
}

/** Bytes gathered before one write: few system calls, bounded memory. */
const WRITE_BUFFER_CHARS = 1 << 20;

/**
 * Writes the pretty JSON of `value` to a file descriptor (stdout is 1) in pieces of about 1 MB. A reader that
 * closes the pipe early (`vsm analyze --json | head`) ends the output quietly, as `head` intends.
 */
export function writePrettyJson(fd: number, value: unknown): void {
  let closed = false;
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    if (pendingChars === 0 || closed) return;
    const buffer = Buffer.from(pending.join(''), 'utf8');
    let offset = 0;
    while (offset < buffer.length) {
      try {
        offset += writeSync(fd, buffer, offset);
      } catch (error) {
        // A non-blocking pipe (stdout to a slow reader) may refuse for a moment: try again.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        if (code !== 'EAGAIN') throw error;
      }
    }
    pending = [];
    pendingChars = 0;
  };
  for (const chunk of prettyJsonChunks(value)) {
    if (closed) return;
    pending.push(chunk);
    pendingChars += chunk.length;
    if (pendingChars >= WRITE_BUFFER_CHARS) flush();
  }
  flush();
}

/** Writes the pretty JSON of `value` into a new file at `path`. */
export function writePrettyJsonFile(path: string, value: unknown): void {
  const fd = openSync(path, 'w');
  try {
    writePrettyJson(fd, value);
  } finally {
    closeSync(fd);
  }
}
