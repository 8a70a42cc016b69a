#!/usr/bin/env node
// CPU seconds per thread of one readCsv (from /proc/self/task/*/stat, sampled every 50 ms; a thread that ended keeps
// its last sample): how the read splits between the main thread, the CSV workers and V8's helper threads. Linux only.
//   node bench/read-threads.mjs bench/out/tickets-5m.csv '{"workers":2}'   (csvThreads options as JSON, or off)
import { readFileSync, readdirSync } from 'node:fs';
import { readCsv } from '../dist/ingest/csv.js';
const threads = process.argv[3] === 'off' ? false : JSON.parse(process.argv[3] ?? '{}');
const last = new Map();
const tick = () => {
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      last.set(tid, { name: st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')), cpu: (Number(f[11]) + Number(f[12])) / 100 });
    } catch { /* ended */ }
  }
};
tick();
const before = new Map([...last].map(([k, v]) => [k, v.cpu]));
const timer = setInterval(tick, 50);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const c0 = cpu(), w0 = performance.now();
let outcome;
await readCsv(process.argv[2], { csvThreads: threads && { ...threads, onOutcome: (o) => { outcome = o; } } });
const wall = (performance.now() - w0) / 1000, total = cpu() - c0;
clearInterval(timer);
tick();
const rows = [...last].map(([tid, v]) => [tid, v.name, v.cpu - (before.get(tid) ?? 0)]).filter((r) => r[2] >= 0.05).sort((a, b) => b[2] - a[2]);
console.log(`read ${total.toFixed(2)} cpu s ${wall.toFixed(2)} wall s ${JSON.stringify(outcome)} threads: ${rows.map(([tid, name, c]) => `${tid === String(process.pid) ? 'main' : name} ${c.toFixed(2)}`).join(', ')}`);
