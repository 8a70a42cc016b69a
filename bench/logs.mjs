// The benchmark's synthetic logs, generated once and cached beside a `.meta.json` sidecar that says how each was
// made (bench/run.mjs, bench/scale.mjs). A cached file is reused only when its sidecar matches and its size is intact.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLogFile } from './generate.mjs';

/** The shape every benchmark log has: activities with start and complete events. */
export const BENCH_SHAPE = 'activity-start-complete';

/** `1m`, `250k`, `1234`: the size part of a cached log's name. */
export function logLabel(events) {
  if (events % 1_000_000 === 0) return `${events / 1_000_000}m`;
  if (events % 1_000 === 0) return `${events / 1_000}k`;
  return String(events);
}

/** Where the cached `events`-event log of `format` lives in `outDir`. */
export function logPath(outDir, events, format) {
  return join(outDir, `tickets-${logLabel(events)}.${format}`);
}

/**
 * The cached log, generated first when missing or made with other settings. Returns { path, generatedSeconds
 * (undefined when reused), meta }; `say` gets the progress lines.
 */
export async function ensureLog({ outDir, events, format, seed, say = () => undefined }) {
  const path = logPath(outDir, events, format);
  const metaPath = `${path}.meta.json`;
  const wanted = { events, seed, shape: BENCH_SHAPE, format };
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    const same = Object.entries(wanted).every(([key, value]) => meta[key] === value);
    if (same && meta.bytes === statSync(path).size) return { path, generatedSeconds: undefined, meta };
  }
  say(`generating ${path} …`);
  const result = await generateLogFile({ events, format, shape: BENCH_SHAPE, seed, out: path });
  const meta = { ...wanted, cases: result.cases, bytes: result.bytes, generateSeconds: result.seconds };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  say(`  ${result.events.toLocaleString('en-US')} events, ${(result.bytes / 1e6).toFixed(0)} MB in ${result.seconds.toFixed(1)} s`);
  return { path, generatedSeconds: result.seconds, meta };
}
