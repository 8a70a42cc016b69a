import { it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';
import { readXes } from '../../src/ingest/xes.js';
import { computeHandoffs } from '../../src/metrics/handoffs.js';
import { computeRework } from '../../src/metrics/rework.js';
import { computeVariants } from '../../src/metrics/variants.js';
import { computeDfg } from '../../src/metrics/dfg.js';
import { computeFlow } from '../../src/metrics/flow.js';
import { Dictionary } from '../../src/model/dictionary.js';
import type { StepVisits, CaseTimes } from '../../src/traces/step-visits.js';
import { eventsAsVisits } from './visits-fixture.js';

it('measures', async () => {
  // synthetic 5M visits
  const n = 5_000_000, casesN = 500_000, steps = 20, ownersN = 200;
  const caseVisitStart = new Int32Array(casesN + 1);
  for (let c = 0; c <= casesN; c++) caseVisitStart[c] = c * 10;
  let seed = 1; const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const stepCode = new Int32Array(n), ownerCode = new Int32Array(n), enteredAt = new Float64Array(n), exitedAt = new Float64Array(n), elapsedMs = new Float64Array(n);
  const start = Date.UTC(2020, 0, 1);
  const triggeredAt = new Float64Array(casesN), outcomeAt = new Float64Array(casesN), leadMs = new Float64Array(casesN);
  for (let c = 0; c < casesN; c++) {
    let t = start + rnd() * 3 * 365 * 86400000; triggeredAt[c] = t;
    for (let k = 0; k < 10; k++) { const v = c * 10 + k; stepCode[v] = Math.floor(rnd() * steps); ownerCode[v] = Math.floor(rnd() * ownersN); enteredAt[v] = t; const d = rnd() * 86400000 * 3; t += d; exitedAt[v] = t; elapsedMs[v] = d; }
    outcomeAt[c] = t; leadMs[c] = t - triggeredAt[c];
  }
  const owners = new Dictionary(); for (let o = 0; o < ownersN; o++) owners.intern(`o${o}`);
  const zeros = new Float64Array(n);
  const visits: StepVisits = { count: n, caseCount: casesN, steps: Array.from({ length: steps }, (_, s) => ({ name: `S${s}`, members: [], valueClass: 'value-adding', owner: null, system: null })), owners, ownerLevel: 'resource', caseCode: new Int32Array(n), caseVisitStart, stepCode, ownerCode, enteredAt, workStartedAt: new Float64Array(n).fill(NaN), exitedAt, activeMs: zeros, queueMs: zeros, waitingMs: zeros, blockedMs: zeros, elapsedMs, open: new Uint8Array(n), activeUnknown: true, asOfMs: start + 4 * 365 * 86400000 };
  const cases: CaseTimes = { caseCount: casesN, triggeredAt, outcomeAt, firstActiveAt: zeros, censored: new Uint8Array(casesN), leadMs, cycleMs: leadMs, activeMs: leadMs, delayMs: leadMs };
  for (const [label, fn] of [['dfg', () => computeDfg(visits)], ['rework', () => computeRework(visits)], ['handoffs', () => computeHandoffs(visits, { maxPairs: 200 })], ['rework', () => computeRework(visits)], ['variants', () => computeVariants(visits)], ['dfg', () => computeDfg(visits)], ['flow', () => computeFlow(visits, cases)], ['flowBerlin', () => computeFlow(visits, cases, { timeZone: 'Europe/Berlin' })]] as const) {
    const t0 = performance.now(); const out = fn(); const ms = performance.now() - t0;
    console.log(label, ms.toFixed(0), 'ms', JSON.stringify(out).length, 'bytes json', (process.memoryUsage().heapUsed / 1e6).toFixed(0), 'MB heap');
  }
}, 600000);
