#!/usr/bin/env node
// The resident set of a stored analysis (`vsm analyze --engine duckdb`) over time, split by phase: a child process
// reads the log into the event store and analyses it as the CLI does (readLogToStore, measureStored, the store
// closed, a collection, reportFromVisits, report.json written), printing a line at each phase with V8's heap and
// array buffers then; this process samples the child's VmRSS from /proc every 50 ms and prints, per phase, its start
// (s), its highest RSS and the RSS at its end (MB), then the peak and the phase it fell in (docs/benchmarks.md
// "h30-native"). Not a test, not part of `npm run bench` (Linux only: /proc).
//   node bench/store-rss-timeline.mjs --file bench/out/tickets-5m.csv [--dist dist] [--samples]
// --dist: the build to run (another checkout's dist folder, to compare builds); --samples: every sample as well.
// VSM_TIMELINE_PAUSE_AT=<phase> holds the child 20 s when that phase starts (to look at it, e.g. with gdb).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({ options: { file: { type: 'string' }, dist: { type: 'string', default: 'dist' }, samples: { type: 'boolean', default: false }, child: { type: 'boolean', default: false } } });
if (!values.file) {
  console.error('usage: node bench/store-rss-timeline.mjs --file <log> [--dist <dist folder>] [--samples]');
  process.exit(2);
}

if (values.child) {
  const dist = pathToFileURL(resolve(values.dist)).href;
  const { readLogToStore } = await import(`${dist}/ingest/stored-read.js`);
  const { measureStored } = await import(`${dist}/vsm/analyze-stored.js`);
  const { reportFromVisits } = await import(`${dist}/vsm/analyze.js`);
  const { collectGarbage } = await import(`${dist}/vsm/collect-garbage.js`);
  const mb = (bytes) => Math.round(bytes / 1048576);
  // What V8 knows of at the phase's start (no forced collection): the rest of the resident set is native.
  const mark = (phase) => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    process.stderr.write(`@phase ${phase}\t${mb(heapUsed)}\t${mb(arrayBuffers)}\n`);
    if (phase === process.env.VSM_TIMELINE_PAUSE_AT) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20_000);
  };
  mark('read');
  const stored = await readLogToStore(values.file, {});
  let phase = null;
  const options = {
    logName: 'log',
    activityTable: false,
    onPhase: (next) => {
      if (next !== phase) mark(next);
      phase = next;
    },
  };
  // As the CLI does (src/cli/commands/analyze.ts): measured, the store closed, a collection, then the report.
  let measuredIngest;
  try {
    measuredIngest = await measureStored(stored, options);
  } finally {
    stored.store.close();
  }
  collectGarbage();
  const { report } = reportFromVisits(measuredIngest.measured, measuredIngest.ingest, options);
  mark('report.json');
  const out = mkdtempSync(join(tmpdir(), 'vsm-timeline-'));
  writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2));
  rmSync(out, { recursive: true, force: true });
  mark('end');
} else {
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--child', '--file', values.file, '--dist', values.dist], { stdio: ['ignore', 'inherit', 'pipe'] });
  const t0 = performance.now();
  const samples = [];
  const phases = [];
  const rssMB = () => {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : NaN;
    } catch {
      return NaN;
    }
  };
  const timer = setInterval(() => {
    const rss = rssMB();
    if (!Number.isNaN(rss)) samples.push({ s: (performance.now() - t0) / 1000, rss });
  }, 50);
  let pending = '';
  child.stderr.on('data', (bytes) => {
    pending += bytes.toString();
    let at;
    while ((at = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, at);
      pending = pending.slice(at + 1);
      if (line.startsWith('@phase ')) {
        const [name, heapMB, buffersMB] = line.slice(7).split('\t');
        phases.push({ name, s: (performance.now() - t0) / 1000, heapMB: Number(heapMB), buffersMB: Number(buffersMB) });
      }
      else process.stderr.write(`${line}\n`);
    }
  });
  const code = await new Promise((done) => child.on('exit', done));
  clearInterval(timer);
  const round = (x) => Math.round(x);
  let peak = { rss: 0, s: 0, phase: '' };
  const rows = phases.map((phase, k) => {
    const end = phases[k + 1]?.s ?? Infinity;
    const inPhase = samples.filter((x) => x.s >= phase.s && x.s < end);
    const high = inPhase.reduce((m, x) => Math.max(m, x.rss), 0);
    for (const x of inPhase) if (x.rss > peak.rss) peak = { rss: x.rss, s: x.s, phase: phase.name };
    return { phase: phase.name, startS: phase.s.toFixed(2), heapMB: phase.heapMB, buffersMB: phase.buffersMB, highMB: round(high), endMB: round(inPhase.at(-1)?.rss ?? NaN) };
  });
  if (values.samples) for (const x of samples) console.log(`${x.s.toFixed(2)}\t${round(x.rss)}`);
  console.table(rows);
  console.log(JSON.stringify({ exit: code, seconds: Number(((performance.now() - t0) / 1000).toFixed(2)), peakMB: round(peak.rss), peakAtS: Number(peak.s.toFixed(2)), peakPhase: peak.phase }));
}
