#!/usr/bin/env node
// CPU seconds of the batches (with the shared resource order where the build has one) and the streamed wait causes,
// builds alternating, on one set of inputs (instances, enabled times and calendars computed once by the first build).
//   node --expose-gc bench/wait-causes-ab.mjs bench/out/tickets-5m.csv 4 /work/main/dist dist
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, runsArg, ...dists] = process.argv.slice(2);
if (!file || !(Number(runsArg) >= 1) || dists.length === 0) {
  console.error('usage: node --expose-gc bench/wait-causes-ab.mjs <file.csv> <runs> <dist> [<dist> …]');
  process.exit(2);
}
const from = (dist, module) => import(pathToFileURL(resolve(dist, module)).href);
const first = dists[0];
const { readCsv } = await from(first, 'ingest/csv.js');
const { buildStepMap } = await from(first, 'traces/step-map.js');
const { collectInstances } = await from(first, 'traces/activity-instances.js');
const { discoverConcurrency } = await from(first, 'traces/concurrency-oracle.js');
const { computeEnabledTimes } = await from(first, 'traces/enabled-time.js');
const { defaultAsOfMs } = await from(first, 'traces/censoring.js');
const { discoverResourceCalendars } = await from(first, 'metrics/resource-calendars.js');
const { log } = await readCsv(file);
const instances = collectInstances(log, buildStepMap(log, undefined).stepOfActivity, defaultAsOfMs(log));
const { enabledMs } = computeEnabledTimes(instances, discoverConcurrency(instances, log.activities.size));
const { startMs } = instances;
const estimated = new Uint8Array(instances.count);
const calendars = discoverResourceCalendars(instances, startMs, estimated, () => false, 'UTC').calendars;
const calendarOf = (code) => calendars.get(code)?.calendar;
const builds = [];
for (const dist of dists) {
  const order = existsSync(resolve(dist, 'metrics/resource-order.js')) ? await from(dist, 'metrics/resource-order.js') : null;
  builds.push({ dist, batches: await from(dist, 'metrics/batches.js'), causes: await from(dist, 'metrics/wait-causes.js'), order });
}
const cpuNow = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const results = builds.map(() => ({ batches: [], causes: [] }));
for (let run = 0; run < Number(runsArg); run++) {
  builds.forEach(({ batches: b, causes: w, order }, i) => {
    globalThis.gc?.();
    const t0 = cpuNow();
    const ordered = order ? order.buildResourceOrder(instances, startMs, enabledMs, estimated) : undefined;
    const batches = b.detectBatches(instances, startMs, estimated, enabledMs, order ? { ordered } : {});
    const t1 = cpuNow();
    let totalMs = 0;
    const streamed = w.streamWaitCauses({ instances, startMs, enabledMs, batches, calendarOf, ...(order ? { ordered } : {}) }, { put: (k, waitMs) => (totalMs += waitMs) });
    const t2 = cpuNow();
    results[i].batches.push(t1 - t0);
    results[i].causes.push(t2 - t1);
    if (run === 0) console.log(`${builds[i].dist}: ${batches.parallelCount} parallel, ${batches.sequentialCount} sequential batches, wait ${totalMs} ms, ${streamed?.scanCapped} capped`);
  });
}
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const min = (values) => Math.min(...values);
for (const [i, r] of results.entries()) {
  console.log(`${builds[i].dist}\tbatches ${mean(r.batches).toFixed(2)} (min ${min(r.batches).toFixed(2)})\twait causes ${mean(r.causes).toFixed(2)} (min ${min(r.causes).toFixed(2)})\tsum ${(mean(r.batches) + mean(r.causes)).toFixed(2)} CPU s`);
}
