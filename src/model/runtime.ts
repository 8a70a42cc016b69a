/**
 * What the threaded phases (the CSV read's workers, the wait-cause sweep's worker) and the memory collections need of
 * the runtime, in one place: numbers from environment variables, the compiled worker script of a module, and V8's
 * collector.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The number in environment variable `name`; undefined when it is unset, blank or not a finite number.
 * @example envNumber('VSM_CSV_WORKERS') // 2 with VSM_CSV_WORKERS=2
 */
export function envNumber(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A worker entry's compiled script: `file` beside the calling module (`moduleUrl`, its import.meta.url: dist/<folder>
 * or the bundle), else the build's dist/<folder>/<file> when the caller runs from source (tests); undefined when neither
 * exists (the caller then works without that worker).
 * @example workerScriptBeside(import.meta.url, 'csv-chunk-worker.js', 'ingest')
 */
export function workerScriptBeside(moduleUrl: string, file: string, folder: string): URL | undefined {
  const beside = new URL(`./${file}`, moduleUrl);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL(`../../dist/${folder}/${file}`, moduleUrl);
  return existsSync(fileURLToPath(built)) ? built : undefined;
}

/** V8's collector: `gc({ type: 'minor' })` collects the young generation only, `gc()` everything. */
export type GarbageCollector = (options?: { type: 'major' | 'minor' }) => void;

let collector: GarbageCollector | null | undefined;

/**
 * This thread's garbage collector, or null when the runtime offers none. Node exposes `gc` only under --expose-gc: the
 * flag is set at run time and `gc` taken from a new context (found once per thread).
 */
export function exposedGc(): GarbageCollector | null {
  collector ??= findCollector();
  return collector;
}

function findCollector(): GarbageCollector | null {
  const own: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return own as GarbageCollector;
  try {
    setFlagsFromString('--expose-gc');
    const exposed: unknown = runInNewContext('gc');
    return typeof exposed === 'function' ? (exposed as GarbageCollector) : null;
  } catch {
    return null;
  }
}
