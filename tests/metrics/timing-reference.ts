/**
 * computeStepTimings as it was before h26-cases: each step's visits gathered through an index of visit numbers, step
 * by step. Kept as the reference the one-pass-per-distribution version is tested against (timing-by-slot.test.ts).
 */
import type { StepJson } from '../../src/contracts/report-schema.js';
import { summarizeInPlace, THIN_EVIDENCE_N } from '../../src/metrics/distribution.js';
import { stepClass, type StepTimingOptions } from '../../src/metrics/timing.js';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import type { StepVisits } from '../../src/traces/step-visits.js';

/** The most frequent code among `codes` (MISSING_CODE ignored) and its count; ties → the lower code. */
function dominantCode(codes: Int32Array, count: number, scratch: { counts: Int32Array }): [number, number] {
  let largest = -1;
  for (let k = 0; k < count; k++) if (codes[k] > largest) largest = codes[k];
  if (largest < 0) return [MISSING_CODE, 0];
  if (scratch.counts.length <= largest) scratch.counts = new Int32Array(Math.max(largest + 1, 2 * scratch.counts.length));
  const { counts } = scratch;
  counts.fill(0, 0, largest + 1);
  for (let k = 0; k < count; k++) if (codes[k] !== MISSING_CODE) counts[codes[k]]++;
  let best = MISSING_CODE;
  let bestCount = 0;
  // Ascending codes: the first with the largest count is the lowest of the tied ones.
  for (let code = 0; code <= largest; code++) {
    if (counts[code] > bestCount) {
      best = code;
      bestCount = counts[code];
    }
  }
  return [best, bestCount];
}

/** Visit indices per step code, in visit order (one counting pass). */
function visitsByStep(visits: StepVisits): { start: Int32Array; index: Int32Array } {
  const stepCount = visits.steps.length;
  const start = new Int32Array(stepCount + 1);
  for (let v = 0; v < visits.count; v++) start[visits.stepCode[v] + 1]++;
  for (let s = 0; s < stepCount; s++) start[s + 1] += start[s];
  const cursor = start.slice(0, stepCount);
  const index = new Int32Array(visits.count);
  for (let v = 0; v < visits.count; v++) index[cursor[visits.stepCode[v]]++] = v;
  return { start, index };
}

/** The steps of the map with their timing, in map order. */
export function computeStepTimingsByStep(visits: StepVisits, options: StepTimingOptions = {}): StepJson[] {
  const { seed = 1, config, log, defaultSystem = null } = options;
  const { start, index } = visitsByStep(visits);
  const isActivityLog = visits.shape === 'activity';
  const firstVisitOfCase = new Uint8Array(visits.count);
  for (let c = 0; c < visits.caseCount; c++) {
    if (visits.caseVisitStart[c] < visits.caseVisitStart[c + 1]) firstVisitOfCase[visits.caseVisitStart[c]] = 1;
  }
  const systemSpec = config?.system;
  const systemColumn = typeof systemSpec === 'object' && log ? log.attributes.get(systemSpec.attribute) : undefined;
  const scratch = { counts: new Int32Array(64) };
  const caseStamp = new Int32Array(visits.caseCount).fill(-1);
  const caseVisits = new Int32Array(visits.caseCount);
  const out: StepJson[] = [];
  // Typed columns filled by counters (growing six JS arrays per step cost more than the statistics), sized for the
  // largest step and reused by every step: one allocation, its pages touched once, not six fresh columns a step.
  let largest = 0;
  for (let s = 0; s < visits.steps.length; s++) if (!visits.steps[s].outcome) largest = Math.max(largest, start[s + 1] - start[s]);
  const active = new Float64Array(largest);
  const queue = new Float64Array(largest);
  const waiting = new Float64Array(largest);
  const blocked = new Float64Array(largest);
  const elapsed = new Float64Array(largest);
  const delay = new Float64Array(largest);
  const owners = new Int32Array(largest);
  const systemsColumn = new Int32Array(systemColumn ? largest : 0);

  visits.steps.forEach((step, stepCode) => {
    options.onProgress?.(stepCode + 1, visits.steps.length);
    if (step.outcome) return;
    const from = start[stepCode];
    const n = start[stepCode + 1] - from;
    // The shared columns: every slot read below is written for this step first (counters from 0; owners and
    // systems over [0, n)).
    let activeCount = 0;
    let waitingCount = 0;
    let elapsedCount = 0;
    let delayCount = 0;
    const systems = systemsColumn.subarray(0, systemColumn ? n : 0);
    let cases = 0;
    let reworkCases = 0;
    let totalDelayMs = 0;
    let totalActiveMs = 0;
    for (let k = 0; k < n; k++) {
      const v = index[from + k];
      const c = visits.caseCode[v];
      if (caseStamp[c] !== stepCode) {
        caseStamp[c] = stepCode;
        caseVisits[c] = 0;
        cases++;
      }
      if (++caseVisits[c] === 2) reworkCases++;
      owners[k] = visits.ownerCode[v];
      if (systemColumn && visits.firstEvent) systems[k] = systemColumn.codes[visits.firstEvent[v]];
      if (visits.inLead === undefined || visits.inLead[v] === 1) {
        totalActiveMs += visits.activeMs[v];
        totalDelayMs += visits.activeUnknown ? visits.elapsedMs[v] : visits.queueMs[v] + visits.waitingMs[v] + visits.blockedMs[v];
      }
      if (visits.open[v] === 1) continue;
      if (visits.activeUnknown) {
        if (firstVisitOfCase[v] === 0) {
          elapsed[elapsedCount++] = visits.elapsedMs[v];
          delay[delayCount++] = visits.elapsedMs[v];
        }
        continue;
      }
      elapsed[elapsedCount++] = visits.elapsedMs[v];
      if (!(isActivityLog && Number.isNaN(visits.workStartedAt[v]))) {
        // active, queue and delay are always filled together.
        active[activeCount] = visits.activeMs[v];
        queue[activeCount++] = visits.queueMs[v];
        delay[delayCount++] = visits.queueMs[v] + visits.waitingMs[v] + visits.blockedMs[v];
      }
      waiting[waitingCount] = visits.waitingMs[v];
      blocked[waitingCount++] = visits.blockedMs[v];
    }

    let owner: StepJson['owner'] = null;
    if (step.owner !== null) {
      // A configured owner is shown with its measured share (0 when the data never names it).
      const ownerCode = visits.owners.codeOf(step.owner);
      let owned = 0;
      for (let k = 0; k < n; k++) if (ownerCode !== MISSING_CODE && owners[k] === ownerCode) owned++;
      owner = { name: step.owner, share: n === 0 ? 0 : owned / n };
    } else {
      const [ownerCode, owned] = dominantCode(owners, n, scratch);
      if (ownerCode !== MISSING_CODE) owner = { name: visits.owners.valueOf(ownerCode) as string, share: owned / n };
    }
    let system = step.system ?? (typeof systemSpec === 'string' ? systemSpec : null);
    if (system === null && systemColumn) system = systemColumn.dictionary.valueOf(dominantCode(systems, systems.length, scratch)[0]) ?? null;
    if (system === null) system = defaultSystem;

    // The columns are this step's own and not read again: summarized in place, without summarize's copies.
    const distribution = (values: Float64Array, count: number) => summarizeInPlace(values.subarray(0, count), { seed });
    const activeMs = distribution(active, activeCount);
    const queueMs = distribution(queue, activeCount);
    const waitingMs = distribution(waiting, waitingCount);
    const blockedMs = distribution(blocked, waitingCount);
    out.push({
      name: step.name,
      order: out.length,
      class: stepClass(step.members, [queueMs.sum, activeMs.sum, waitingMs.sum, blockedMs.sum]),
      members: step.members,
      valueClass: step.valueClass,
      owner,
      system,
      visits: n,
      cases,
      reworkCases,
      activeMs,
      queueMs,
      waitingMs,
      blockedMs,
      elapsedMs: distribution(elapsed, elapsedCount),
      delayMs: distribution(delay, delayCount),
      activeUnknown: visits.activeUnknown,
      totalDelayMs,
      totalActiveMs,
      thin: n < THIN_EVIDENCE_N,
    });
  });
  return out;
}

