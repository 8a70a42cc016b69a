#!/usr/bin/env node
// The CSV fast engine alone (h25-read): CPU ms of scanning a file with a sink that only codes the given columns through
// the byte interners (none: the record split alone), median and min of 7 runs in one process, per build and column set.
//   node bench/scan-ab.mjs bench/out/tickets-1m.csv dist - 0 1,4
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, dist, ...columnSets] = process.argv.slice(2);
if (!file || !dist || columnSets.length === 0) {
  console.error('usage: node bench/scan-ab.mjs <file.csv> <dist> <columns|-> [<columns|-> …]   (columns: 0,4 = header positions)');
  process.exit(2);
}
const { runFastEngine } = await import(pathToFileURL(resolve(dist, 'ingest/csv-fast.js')).href);
const { Dictionary } = await import(pathToFileURL(resolve(dist, 'model/dictionary.js')).href);
const bytes = readFileSync(file);
const CHUNK_BYTES = 1 << 20;
for (const set of columnSets) {
  const columns = set === '-' ? [] : set.split(',').map(Number);
  const times = [];
  for (let run = 0; run < 7; run++) {
    let sum = 0;
    const columnDictionaries = Array.from({ length: Math.max(0, ...columns) + 1 }, () => new Dictionary());
    const sink = {
      columnDictionaries,
      accept(row) {
        for (let k = 0; k < columns.length; k++) sum += row.code(columns[k]);
      },
    };
    async function* chunks() {
      for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) yield bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES));
    }
    const u0 = process.cpuUsage();
    await runFastEngine({ file, delimiter: ',', chunks: chunks(), bomBytes: 0, maxRecordChars: 1e6, onHeader: () => sink, final: true });
    const u = process.cpuUsage(u0);
    times.push((u.user + u.system) / 1000);
    if (sum < 0) console.log(sum);
  }
  times.sort((a, b) => a - b);
  console.log(`${dist}\tcolumns ${set}\tmedian ${times[3].toFixed(1)} ms\tmin ${times[0].toFixed(1)} ms`);
}
