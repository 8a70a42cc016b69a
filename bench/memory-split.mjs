#!/usr/bin/env node
// Where the memory of `vsm analyze` goes (issue 14, "logs larger than memory"): live heap + array buffers after
// reading (the columnar EventLog), after analyzeLog (log + reconstruction + wait analysis + report), each after a
// full GC, and the process's peak RSS. One run in a fresh process:
//   node --expose-gc bench/memory-split.mjs --file bench/out/tickets-5m.csv
// Prints one JSON line with MB figures.
import { parseArgs } from 'node:util';
import v8 from 'node:v8';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
if (!values.file || typeof globalThis.gc !== 'function') {
  console.error('usage: node --expose-gc bench/memory-split.mjs --file <log>');
  process.exit(2);
}
const { readLog } = await import('../dist/ingest/read-log.js');
const { analyzeLog } = await import('../dist/vsm/analyze.js');
const mb = (bytes) => Math.round(bytes / 1048576);
const live = () => {
  globalThis.gc();
  const usage = process.memoryUsage();
  return mb(usage.heapUsed + usage.arrayBuffers);
};
/** The V8 heap part alone (JS objects and strings): bounded by --max-old-space-size, unlike typed arrays. */
const heap = () => mb(process.memoryUsage().heapUsed);
const baseline = live();
const read = await readLog(values.file, {});
const afterRead = live();
const analysis = analyzeLog(read.log, read.report, { logName: 'log' });
const afterAnalyze = live();
const heapAfterAnalyze = heap();
const visits = analysis.reconstruction.visits.count;
const instances = analysis.waits?.table.instances.count ?? 0;
console.log(
  JSON.stringify({
    events: read.log.eventCount,
    cases: read.log.caseCount,
    visits,
    instances,
    baselineMB: baseline,
    logMB: afterRead - baseline,
    analysisRetainedMB: afterAnalyze - afterRead,
    heapAfterAnalyzeMB: heapAfterAnalyze,
    heapLimitMB: mb(v8.getHeapStatistics().heap_size_limit),
    peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
  }),
);
