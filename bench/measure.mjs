#!/usr/bin/env node
// One measurement in a fresh process (spawned by bench/run.mjs), so peak RSS belongs to this log alone.
//   node bench/measure.mjs --file bench/out/tickets-1m.csv --format csv [--analyze] [--date-format F] [--timezone Z]
// Prints one JSON line: { ok, events, cases, readSeconds, readCpuSeconds, analyzeSeconds?, analyzeCpuSeconds?, maxRssMB, rowsRejected } or { ok: false, error }.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { printChildResult } from './child-result.mjs';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    format: { type: 'string' },
    analyze: { type: 'boolean', default: false },
    'date-format': { type: 'string' },
    timezone: { type: 'string' },
  },
});

/** Peak resident set size of this process so far, in MB (resourceUsage reports kilobytes). */
function maxRssMB() {
  return process.resourceUsage().maxRSS / 1024;
}

async function importOrNull(specifier) {
  try {
    return await import(specifier);
  } catch (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND') return null;
    throw error;
  }
}

async function loadReader(format) {
  const kind = format.startsWith('xes') ? 'xes' : 'csv';
  const module = await importOrNull(`../dist/ingest/${kind}.js`);
  const reader = module?.[kind === 'xes' ? 'readXes' : 'readCsv'];
  if (typeof reader !== 'function') return { error: `dist/ingest/${kind}.js does not export ${kind === 'xes' ? 'readXes' : 'readCsv'} (not written or not built yet)` };
  return { reader };
}

async function main() {
  const format = values.format ?? (values.file.includes('.xes') ? 'xes' : 'csv');
  const { reader, error } = await loadReader(format);
  if (!reader) return { ok: false, error };
  let halves;
  if (values.analyze) {
    // The two halves `vsm analyze` runs (src/cli/commands/analyze.ts): measureVisits on the handed-over log, which
    // lets the columns it does not read go, then reportFromVisits without the log.
    // Their own modules, not dist/index.js (which loads every reader and renderer): the CLI's analyze loads only these.
    const measureVisits = (await importOrNull('../dist/vsm/analyze-visits.js'))?.measureVisits;
    const reportFromVisits = (await importOrNull('../dist/vsm/analyze.js'))?.reportFromVisits;
    if (typeof measureVisits !== 'function' || typeof reportFromVisits !== 'function') return { ok: false, error: 'dist/vsm/analyze-visits.js or dist/vsm/analyze.js does not export measureVisits / reportFromVisits (not written or not built yet)' };
    // And, as the CLI, a full GC once the log is dead (src/vsm/collect-garbage.ts), from the same event count; an
    // older build without it measures without it.
    const visitsModule = await importOrNull('../dist/vsm/analyze-visits.js');
    const collectGarbage = (await importOrNull('../dist/vsm/collect-garbage.js'))?.collectGarbage ?? (() => false);
    halves = { measureVisits, reportFromVisits, collectGarbage, collectMinEvents: visitsModule?.COLLECT_MIN_EVENTS ?? Infinity };
  }

  // CPU time next to wall time: on a shared 2-core machine wall time includes waiting for other processes.
  const cpuSecondsSince = (start) => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
  const readStartedAt = performance.now();
  const readCpuStart = process.cpuUsage();
  const readOptions = {
    ...(values['date-format'] === undefined ? {} : { dateFormat: values['date-format'] }),
    ...(values.timezone === undefined ? {} : { timeZone: values.timezone }),
  };
  // Read in a function of its own, as the CLI does: only the handover holds the log when it returns.
  const readForHandover = async () => {
    const { log, report } = await reader(values.file, readOptions);
    return { report, handover: { log }, events: log.eventCount, cases: log.caseCount };
  };
  const { report, handover, events, cases } = await readForHandover();
  const readSeconds = (performance.now() - readStartedAt) / 1000;
  const readCpuSeconds = cpuSecondsSince(readCpuStart);
  let analyzeSeconds;
  let analyzeCpuSeconds;
  if (halves) {
    const analyzeStartedAt = performance.now();
    const analyzeCpuStart = process.cpuUsage();
    // As `vsm analyze --no-html`: report.json only, so the per-instance activity table (activities.csv) is not kept.
    const options = { logName: basename(values.file), activityTable: false };
    const measured = halves.measureVisits(handover, report, options);
    if (measured.log.eventCount >= halves.collectMinEvents) halves.collectGarbage();
    halves.reportFromVisits(measured, report, options);
    analyzeSeconds = (performance.now() - analyzeStartedAt) / 1000;
    analyzeCpuSeconds = cpuSecondsSince(analyzeCpuStart);
  }
  return {
    ok: true,
    events,
    cases,
    rowsRejected: report.rowsRejected,
    readSeconds,
    readCpuSeconds,
    ...(analyzeSeconds === undefined ? {} : { analyzeSeconds, analyzeCpuSeconds }),
    maxRssMB: maxRssMB(),
  };
}

printChildResult(main);
