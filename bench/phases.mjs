#!/usr/bin/env node
// Per-phase CPU and wall seconds of `analyzeLog` (the onPhase callback), after reading a CSV.
//   node bench/phases.mjs bench/out/tickets-5m.csv
import { readCsv } from '../dist/ingest/csv.js';
import { analyzeLog } from '../dist/vsm/analyze.js';

const file = process.argv[2];
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let cpu0 = cpuNow();
let wall0 = performance.now();
const { log, report } = await readCsv(file);
const rows = [['read', cpuNow() - cpu0, (performance.now() - wall0) / 1000]];
let phase = null;
cpu0 = cpuNow();
wall0 = performance.now();
const close = () => { if (phase) rows.push([phase, cpuNow() - cpu0, (performance.now() - wall0) / 1000]); cpu0 = cpuNow(); wall0 = performance.now(); };
analyzeLog(log, report, { logName: file.split("/").pop(), activityTable: false, onPhase: (p) => { if (p !== phase) { close(); phase = p; } } });
close();
for (const [p, c, w] of rows) console.log(`${p.padEnd(20)} ${c.toFixed(2).padStart(8)} cpu s ${w.toFixed(2).padStart(8)} wall s`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
