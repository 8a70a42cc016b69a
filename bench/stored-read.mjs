#!/usr/bin/env node
// The stored read of the partitioned engine (issue 14, stage 3; docs/benchmarks.md "Stage 3 started"): a CSV read
// into the event store, then read back as K case ranges (EventLogs, duplicates dropped), with no analysis.
// Not a test, not part of `npm run bench`.
//   node bench/stored-read.mjs --file bench/out/tickets-5m.csv [--ranges 8] [--memory 1GB]
// Prints one JSON line: read and ranges seconds (wall and CPU), events, largest range, peak RSS.
import { parseArgs } from 'node:util';
import { finishStoredReport, readCsvToStore, storedLogs } from '../dist/ingest/stored-read.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, ranges: { type: 'string', default: '8' }, memory: { type: 'string', default: '1GB' } } });
if (!values.file) throw new Error('--file is required');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let t0 = performance.now();
let c0 = cpu();
const stored = await readCsvToStore(values.file, {}, { memoryLimit: values.memory });
const read = { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu() - c0 };
const readRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
t0 = performance.now();
c0 = cpu();
let events = 0;
let largest = 0;
try {
  for await (const { log } of storedLogs(stored, Number(values.ranges))) {
    events += log.eventCount;
    largest = Math.max(largest, log.eventCount);
  }
} finally {
  stored.store.close();
}
const report = finishStoredReport(stored);
const ranges = { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu() - c0 };
console.log(JSON.stringify({ file: values.file, events, rowsUsed: report.rowsUsed, cases: stored.log.caseCount, read, ranges, largestRange: largest, readRssMB, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
