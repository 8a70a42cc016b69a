#!/usr/bin/env node
// computeStepTimings and the lead / cycle-time summaries (with their histograms) of several builds on the same step
// visits (read and measured once with the last build), alternating, CPU seconds per run; checks the outputs are equal.
//   node --expose-gc bench/step-timings-ab.mjs bench/out/tickets-5m.csv 5 /work/main/dist dist
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const [file, repsArg, ...dists] = process.argv.slice(2);
const imp = (d, m) => import(pathToFileURL(resolve(d, m)).href);
const { readCsv } = await imp(dists[dists.length - 1], 'ingest/csv.js');
const { measureVisits } = await imp(dists[dists.length - 1], 'vsm/analyze-visits.js');
const mods = [];
for (const d of dists) mods.push({ t: await imp(d, 'metrics/timing.js'), l: await imp(d, 'metrics/lead-time.js'), h: await imp(d, 'metrics/histogram.js') });
const { log, report } = await readCsv(file);
const m = measureVisits(log, report, { activityTable: false });
const { visits, cases } = m.reconstruction;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const res = dists.map(() => ({ steps: [], lead: [] }));
const outs = [];
for (let r = 0; r < +repsArg; r++) mods.forEach((mod, b) => {
  globalThis.gc?.();
  let c0 = cpu();
  const steps = mod.t.computeStepTimings(visits, { seed: 42 });
  res[b].steps.push(cpu() - c0);
  c0 = cpu();
  const lead = [mod.l.leadTimeSummary(cases, { seed: 42 }), mod.h.durationHistogram(cases.leadMs, cases.censored), mod.l.cycleTimeSummary(cases, { seed: 42 }), mod.h.durationHistogram(cases.cycleMs, cases.censored)];
  res[b].lead.push(cpu() - c0);
  outs[b] = JSON.stringify([steps, lead]);
});
console.log('same output:', outs.every((o) => o === outs[0]));
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
dists.forEach((d, b) => console.log(d, 'steps', res[b].steps.map((x) => x.toFixed(3)).join(' '), 'median', med(res[b].steps).toFixed(3), '| lead', res[b].lead.map((x) => x.toFixed(3)).join(' '), 'median', med(res[b].lead).toFixed(3)));
