// Prints the start-estimator accuracy table of docs/wait-causes.md for a log with real start times:
//   npm run build && node scripts/estimator-check.mjs ../shared/data/consulta_data_mining_201618.xes.gz Start End
// (arguments after the file are activities to exclude, e.g. artificial Start / End events).
import { readLog } from '../dist/index.js';
import { checkStartEstimator } from '../dist/metrics/estimator-check.js';
import { buildStepMap } from '../dist/traces/step-map.js';

const [file, ...exclude] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/estimator-check.mjs <log with start times> [activity to exclude …]');
  process.exit(2);
}
const { log } = await readLog(file, {});
const map = buildStepMap(log, exclude.length > 0 ? { exclude } : undefined);
const minutes = (ms) => (ms / 60_000).toFixed(1);
const percent = (share) => `${(share * 100).toFixed(1)} %`;
for (const [label, outlierMultiple] of [['default (outlier repair at 10× the median)', undefined], ['outlier repair off', Infinity]]) {
  const check = checkStartEstimator(log, map.stepOfActivity, Infinity, outlierMultiple === undefined ? {} : { outlierMultiple });
  console.log(`\n${file} — ${label}\n`);
  console.log('| activity | instances | median abs. error, estimator (min) | naive (min) | within 10 %, estimator | naive |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of [check.overall, ...check.rows.slice(0, 12)]) {
    console.log(`| ${row.activity} | ${row.instances} | ${minutes(row.estimatorMedianAbsErrorMs)} | ${minutes(row.naiveMedianAbsErrorMs)} | ${percent(row.estimatorWithin10Pct)} | ${percent(row.naiveWithin10Pct)} |`);
  }
}
