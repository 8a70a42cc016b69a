#!/usr/bin/env node
// Memory of `vsm analyze` phase by phase (issue 14, peak memory): RSS, V8 heap and array buffers when each phase
// of the analysis starts, and where the process's peak RSS grew. Reads and analyses like the CLI (readLog,
// measureVisits on the handed-over log, then reportFromVisits without the log), then
// (with --html) writes the full output set to a temporary folder. No forced GC: these are the figures the process
// really holds, garbage included.
//   node bench/memory-phases.mjs --file bench/out/tickets-5m.csv [--html]
// With --gc (node --expose-gc): a full GC before each sample, so heap and buffers are what is live (the peak column
// is read before that GC).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { file: { type: 'string' }, html: { type: 'boolean', default: false }, gc: { type: 'boolean', default: false } } });
if (!values.file) {
  console.error('usage: node bench/memory-phases.mjs --file <log> [--html]');
  process.exit(2);
}
const { readLog } = await import('../dist/ingest/read-log.js');
const { reportFromVisits } = await import('../dist/vsm/analyze.js');
const { COLLECT_MIN_EVENTS, measureVisits } = await import('../dist/vsm/analyze-visits.js');
const { collectGarbage } = await import('../dist/vsm/collect-garbage.js');
const { writeReport } = await import('../dist/render/write-report.js');
const mb = (bytes) => Math.round(bytes / 1048576);
const rows = [];
let lastPeak = 0;
const sample = (label) => {
  const peak0 = process.resourceUsage().maxRSS;
  if (values.gc) globalThis.gc();
  const usage = process.memoryUsage();
  const peak = mb(peak0 * 1024);
  rows.push({ label, rss: mb(usage.rss), heap: mb(usage.heapUsed), buffers: mb(usage.arrayBuffers), peak, grew: peak - lastPeak });
  lastPeak = peak;
};
sample('start');
let phase = null;
const options = {
  logName: 'log',
  activityTable: values.html,
  onPhase: (p) => {
    if (p !== phase) sample(`→ ${p}`);
    phase = p;
  },
};
// As the CLI does: the log is read and measured in a function of its own, so it can go before the metrics run.
// The log is handed over (measureVisits lets the columns it does not read go before the wait analysis).
const readForHandover = async () => {
  const read = await readLog(values.file, {});
  return { ingest: read.report, handover: { log: read.log } };
};
const { ingest, handover } = await readForHandover();
sample('read');
const measured = measureVisits(handover, ingest, options);
// As the CLI does: the log is dead here, collected before the metrics (src/vsm/collect-garbage.ts).
if (measured.log.eventCount >= COLLECT_MIN_EVENTS) collectGarbage();
const analysis = reportFromVisits(measured, ingest, options);
sample('analyzed');
if (values.html) {
  const outDir = mkdtempSync(join(tmpdir(), 'vsm-memory-'));
  await writeReport(analysis.report, outDir, { html: true, ingest, activities: analysis.waits?.table });
  sample('written');
  rmSync(outDir, { recursive: true, force: true });
}
console.log('phase start'.padEnd(24), 'rss', 'heap', 'buffers', 'peak', '(peak grew by) MB');
for (const r of rows) console.log(r.label.padEnd(24), String(r.rss).padStart(5), String(r.heap).padStart(5), String(r.buffers).padStart(5), String(r.peak).padStart(5), r.grew > 0 ? `+${r.grew}` : '');
