#!/usr/bin/env node
// CPU ms of `readCsv` for several builds, one fresh process per read, builds alternating (h25-read). Each build is a
// dist folder; node_modules must resolve from it (a copy of dist next to a node_modules link works).
//   node bench/read-ab.mjs bench/out/tickets-5m.csv 5 /tmp/main/dist dist
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, roundsArg, ...dists] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!file || !(rounds >= 1) || dists.length === 0) {
  console.error('usage: node bench/read-ab.mjs <file.csv> <rounds> <dist> [<dist> …]');
  process.exit(2);
}
const results = dists.map(() => []);
for (let round = 0; round < rounds; round++) {
  dists.forEach((dist, d) => {
    const csv = pathToFileURL(resolve(dist, 'ingest/csv.js')).href;
    const script = `const { readCsv } = await import(${JSON.stringify(csv)}); const u0 = process.cpuUsage(); await readCsv(${JSON.stringify(resolve(file))}); const u = process.cpuUsage(u0); console.log((u.user + u.system) / 1000);`;
    results[d].push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString().trim()));
  });
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
dists.forEach((dist, d) => {
  const values = results[d];
  console.log(`${dist}\tmedian ${median(values).toFixed(0)} ms\trange ${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}\tall ${values.map((v) => v.toFixed(0)).join(' ')}`);
});
