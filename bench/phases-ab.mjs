#!/usr/bin/env node
// Per-phase CPU seconds of `analyzeLog` for several builds on one read of a CSV, interleaved (build A, B, …, then
// again), so a loaded machine slows every build alike. Each build is a dist folder; node_modules must resolve
// from it (a copy of dist next to a node_modules link works).
//   node --expose-gc bench/phases-ab.mjs bench/out/tickets-5m.csv 3 /tmp/before/dist dist
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, repsArg, ...dists] = process.argv.slice(2);
const reps = Number(repsArg);
if (!file || !(reps >= 1) || dists.length === 0) {
  console.error('usage: node --expose-gc bench/phases-ab.mjs <file.csv> <runs> <dist> [<dist> …]');
  process.exit(2);
}
const builds = [];
for (const dist of dists) builds.push((await import(pathToFileURL(resolve(dist, 'vsm/analyze.js')).href)).analyzeLog);
const { readCsv } = await import(pathToFileURL(resolve(dists[0], 'ingest/csv.js')).href);
const cpuNow = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const { log, report } = await readCsv(file);
const results = builds.map(() => new Map());
for (let run = 0; run < reps; run++) {
  builds.forEach((analyzeLog, b) => {
    let phase = null;
    let cpu0 = cpuNow();
    const close = () => {
      if (phase) results[b].set(phase, [...(results[b].get(phase) ?? []), cpuNow() - cpu0]);
      cpu0 = cpuNow();
    };
    analyzeLog(log, report, { logName: 'ab', activityTable: false, onPhase: (next) => { if (next !== phase) { close(); phase = next; } } });
    close();
    globalThis.gc?.();
  });
}
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
console.log(['phase (CPU s, each run / mean)', ...dists].join('\t'));
for (const phase of results[0].keys()) {
  console.log([phase, ...results.map((byPhase) => { const values = byPhase.get(phase) ?? []; return `${values.map((value) => value.toFixed(2)).join(' ')} / ${mean(values).toFixed(2)}`; })].join('\t'));
}
console.log(['all phases, mean per run', ...results.map((byPhase) => ([...byPhase.values()].reduce((sum, values) => sum + mean(values), 0)).toFixed(2))].join('\t'));
