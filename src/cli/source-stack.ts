/**
 * Maps the frames of an internal error's stack from the bundled CLI (dist/bundle/*.js) back to src/*.ts lines
 * through the bundle's source maps, read only when such an error is printed: turning Node's source-map support on
 * at start-up would read and parse every chunk's map on every run (≈ 0.05 CPU s, docs/benchmarks.md). tsc's dist/
 * has maps too and maps the same way; a frame of a file without a `.map` beside it (node_modules, node:internal) is
 * left as it is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `file:///…/x.js:12:34` or `/…/x.js:12:34` inside a stack line. */
const FRAME_LOCATION = /((?:file:\/\/)?\/[^\s():]+\.m?js):(\d+):(\d+)/g;

function loadMap(path: string, cache: Map<string, SourceMap | null>): SourceMap | null {
  let map = cache.get(path);
  if (map !== undefined) return map;
  map = null;
  try {
    const mapPath = `${path}.map`;
    if (existsSync(mapPath)) map = new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    map = null; // An unreadable map leaves the frame as it is: the stack must still print.
  }
  cache.set(path, map);
  return map;
}

/** `stack` with each bundled frame's location replaced by its source file, line and column (1-based, as Node prints). */
export function sourceMappedStack(stack: string): string {
  const cache = new Map<string, SourceMap | null>();
  return stack.replace(FRAME_LOCATION, (whole: string, file: string, line: string, column: string) => {
    const path = file.startsWith('file://') ? fileURLToPath(file) : file;
    const map = loadMap(path, cache);
    if (map === null) return whole;
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return whole;
    const source = fileURLToPath(new URL(entry.originalSource, pathToFileURL(path)));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
