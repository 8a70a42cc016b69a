/**
 * `vsm simulate`: what would lead time look like after a change (DESIGN §5.4)? Monte Carlo resampling of the
 * measured closed cases (seeded; default 10,000 runs of n draws with replacement), each case's time adjusted by
 * the change (simulate-changes.ts: the per-visit rules and their approximations). Reports the lead-time median,
 * p85, p95 and mean and the pooled flow efficiency before and after with 95 % intervals over runs, the paired
 * difference, the active workload per owner before and after, and the future-state steps for the map.
 *
 * A change that only moves active work (some owner's work up by more than 10 % while the total does not fall,
 * `movesWork` from future-state-candidates.ts) is flagged as moving the bottleneck, not a saving.
 *
 * Per case the lead-time saving is Σ over its in-lead visits of the queue / waiting / blocked time the change
 * removes (all of the visit's elapsed time for removed loop repeats), clamped so lead time never goes below 0.
 * Cases stay independent: the simulation does not model the queueing interaction between cases, beyond the
 * Little's-law factor of a WIP limit.
 */
import { quantileSorted, sortedCopy } from '../metrics/distribution.js';
import { DEFAULT_SEED } from '../metrics/random.js';
import { formatDurationMs, formatPercent } from '../model/units.js';
import type { CaseTimes, StepVisits } from '../traces/step-visits.js';
import { TOOL_VERSION } from '../version.js';
import { MOVES_WORK_THRESHOLD, movesWork } from './future-state-candidates.js';
import type { StepJson } from '../contracts/report-schema.js';
import { type ChangeRequest, planChanges, type VisitAdjustments } from './simulate-changes.js';
import { futureStepsOf } from './simulate-future.js';
import { type CaseTotals, intervalOverRuns, pairedDifference, runMonteCarlo, type RunStatistics } from './simulate-monte-carlo.js';
import { GAUSSIAN_MIN_CASES, runGaussian } from './simulate-gaussian.js';
import { SIMULATE_SCHEMA_VERSION, type SimulateJson } from '../contracts/simulate-schema.js';

export type { ChangeRequest, ChangeKind } from './simulate-changes.js';
export { CHANGE_KINDS } from './simulate-changes.js';

export interface SimulateOptions {
  logName: string;
  /** Monte Carlo runs (default 10,000). */
  runs?: number;
  seed?: number;
  /** The current report's steps (for owners and systems as configured); recomputed from the visits when absent. */
  currentSteps?: readonly StepJson[];
  /** Working day of a business calendar, ms: the statement then reads in working days (`wd`). */
  workdayMs?: number | null;
  /** Told the Monte Carlo runs done now and then (a progress line; the result is the same without it). */
  onRuns?: (done: number, total: number) => void;
  /**
   * How the runs are drawn: 'monte-carlo' resamples the closed cases, 'normal-approximation' draws from the
   * resampling's normal approximation (simulate-gaussian.ts); 'auto' (the default) the approximation from
   * GAUSSIAN_MIN_CASES closed cases up.
   */
  method?: SimulateMethodChoice;
}

export type SimulateMethod = SimulateJson['method'];
export type SimulateMethodChoice = SimulateMethod | 'auto';
export const SIMULATE_METHODS: readonly SimulateMethodChoice[] = ['auto', 'monte-carlo', 'normal-approximation'];

/** The method `choice` stands for with `closedCases` to resample. */
export function simulateMethodFor(choice: SimulateMethodChoice, closedCases: number): SimulateMethod {
  if (choice !== 'auto') return choice;
  return closedCases >= GAUSSIAN_MIN_CASES ? 'normal-approximation' : 'monte-carlo';
}

export const DEFAULT_RUNS = 10_000;
const UNKNOWN_OWNER = '(unknown owner)';

const finiteOrZero = (ms: number): number => (Number.isFinite(ms) ? ms : 0);

/** Per closed case: lead before, after, after with the loop cut; active before and with the cut. */
export function caseTotals(visits: StepVisits, cases: CaseTimes, plan: VisitAdjustments): CaseTotals {
  const closed: number[] = [];
  for (let c = 0; c < cases.caseCount; c++) if (cases.censored[c] === 0 && Number.isFinite(cases.leadMs[c])) closed.push(c);
  const n = closed.length;
  const totals: CaseTotals = {
    leadMs: new Float64Array(n),
    leadAfterMs: new Float64Array(n),
    leadAfterCutMs: new Float64Array(n),
    activeMs: new Float64Array(n),
    activeAfterCutMs: new Float64Array(n),
    cuttable: new Uint8Array(n),
    cutShare: plan.reworkShare,
  };
  closed.forEach((c, k) => {
    let saved = 0;
    let savedWithCut = 0;
    let activeCut = 0;
    for (let v = visits.caseVisitStart[c]; v < visits.caseVisitStart[c + 1]; v++) {
      if (visits.inLead !== undefined && visits.inLead[v] === 0) continue;
      const queue = finiteOrZero(visits.activeUnknown ? visits.elapsedMs[v] : visits.queueMs[v]);
      const other = visits.activeUnknown ? 0 : finiteOrZero(visits.waitingMs[v]) + finiteOrZero(visits.blockedMs[v]);
      const visitSaving = queue * (1 - plan.queueKeep[v]) + other * (1 - plan.otherDelayKeep[v]);
      saved += visitSaving;
      if (plan.reworkRemovable[v] === 1) {
        totals.cuttable[k] = 1;
        savedWithCut += finiteOrZero(visits.elapsedMs[v]);
        activeCut += finiteOrZero(visits.activeMs[v]);
      } else {
        savedWithCut += visitSaving;
      }
    }
    const leadMs = cases.leadMs[c];
    const activeMs = finiteOrZero(cases.activeMs[c]);
    totals.leadMs[k] = leadMs;
    totals.leadAfterMs[k] = Math.max(0, leadMs - saved);
    totals.leadAfterCutMs[k] = Math.max(0, leadMs - savedWithCut);
    totals.activeMs[k] = activeMs;
    totals.activeAfterCutMs[k] = Math.max(0, activeMs - activeCut);
  });
  return totals;
}

/** Σ active ms per owner over closed cases' in-lead visits, before and after (the cut as its expected share). */
function workloadOf(visits: StepVisits, cases: CaseTimes, plan: VisitAdjustments): SimulateJson['workload'] {
  const ownerCount = visits.owners.size;
  const before = new Float64Array(ownerCount + 1);
  const after = new Float64Array(ownerCount + 1);
  const slot = (code: number): number => (code < 0 ? ownerCount : code);
  for (let c = 0; c < cases.caseCount; c++) {
    if (cases.censored[c] === 1 || !Number.isFinite(cases.leadMs[c])) continue;
    for (let v = visits.caseVisitStart[c]; v < visits.caseVisitStart[c + 1]; v++) {
      if (visits.inLead !== undefined && visits.inLead[v] === 0) continue;
      const activeMs = finiteOrZero(visits.activeMs[v]);
      before[slot(visits.ownerCode[v])] += activeMs;
      after[slot(plan.activeOwner[v])] += activeMs * (plan.reworkRemovable[v] === 1 ? 1 - plan.reworkShare : 1);
    }
  }
  const owners: SimulateJson['workload']['owners'] = [];
  for (let s = 0; s <= ownerCount; s++) {
    if (before[s] === 0 && after[s] === 0) continue;
    const owner = s === ownerCount ? UNKNOWN_OWNER : (visits.owners.valueOf(s) ?? UNKNOWN_OWNER);
    owners.push({ owner, activeMsBefore: before[s], activeMsAfter: after[s], shift: before[s] > 0 ? (after[s] - before[s]) / before[s] : null });
  }
  owners.sort((a, b) => b.activeMsBefore - a.activeMsBefore || (a.owner < b.owner ? -1 : 1));
  const rows = owners.map((row) => ({ owner: row.owner, activeMsBefore: row.activeMsBefore, activeMsAfter: row.activeMsAfter }));
  const gainingOwners = owners.filter((row) => row.activeMsAfter > row.activeMsBefore * (1 + MOVES_WORK_THRESHOLD)).map((row) => row.owner);
  return {
    level: visits.ownerLevel,
    activeKnown: !visits.activeUnknown,
    totalActiveMsBefore: before.reduce((sum, ms) => sum + ms, 0),
    totalActiveMsAfter: after.reduce((sum, ms) => sum + ms, 0),
    owners,
    movesBottleneck: !visits.activeUnknown && movesWork(rows),
    gainingOwners,
  };
}

function stateOf(statistics: RunStatistics, activeKnown: boolean, closedCases: number): SimulateJson['before'] {
  // No closed case: the runs hold no draw (their arrays are zeros), so there is no lead time to state.
  if (closedCases === 0) return { leadTimeMs: null, flowEfficiency: null };
  const median = intervalOverRuns(statistics.median);
  const p85 = intervalOverRuns(statistics.p85);
  const p95 = intervalOverRuns(statistics.p95);
  const mean = intervalOverRuns(statistics.mean);
  return {
    leadTimeMs: median && p85 && p95 && mean ? { median, p85, p95, mean } : null,
    flowEfficiency: activeKnown ? intervalOverRuns(statistics.flowEfficiency) : null,
  };
}

function statementOf(result: Omit<SimulateJson, 'statement'>): string {
  const format = { workdayMs: result.workdayMs ?? null };
  const before = result.before.leadTimeMs?.median;
  const after = result.after.leadTimeMs?.median;
  const diff = result.difference.leadTimeMedianMs;
  if (!before || !after || !diff) return 'No closed case to resample: nothing to simulate.';
  const signed = (ms: number): string => `${ms > 0 ? '+' : ms < 0 ? '−' : '±'}${formatDurationMs(Math.abs(ms), format)}`;
  let text =
    `Median lead time ${formatDurationMs(before.estimate, format)} → ${formatDurationMs(after.estimate, format)} ` +
    `(${signed(diff.estimate)}, 95 % of runs ${signed(diff.ciLow)} to ${signed(diff.ciHigh)}; ${result.runs.toLocaleString('en-US')} runs of ${result.log.closedCases.toLocaleString('en-US')} cases${result.method === 'monte-carlo' ? '' : ', normal approximation'})`;
  const p85Before = result.before.leadTimeMs?.p85.estimate;
  const p85After = result.after.leadTimeMs?.p85.estimate;
  if (p85Before !== undefined && p85After !== undefined) text += `; p85 ${formatDurationMs(p85Before, format)} → ${formatDurationMs(p85After, format)}`;
  if (result.before.flowEfficiency && result.after.flowEfficiency) {
    text += `; flow efficiency ${formatPercent(result.before.flowEfficiency.estimate)} → ${formatPercent(result.after.flowEfficiency.estimate)}`;
  }
  text += '.';
  if (result.workload.movesBottleneck) {
    const gains = result.workload.owners
      .filter((row) => result.workload.gainingOwners.includes(row.owner))
      .map((row) => `${row.owner} ${row.shift === null ? 'takes on new work' : `+${formatPercent(row.shift)}`}`);
    text += ` Moves the bottleneck: active work shifts (${gains.join(', ')}) while total active work does not fall — a shift of load, not a saving.`;
  }
  return text;
}

/**
 * Simulates changes on a reconstruction (from analyzeLog). Pure and seeded.
 *
 * @example
 * const { report, reconstruction } = analyzeLog(log, ingest, { logName: 'helpdesk' });
 * const result = simulateFutureState(reconstruction, [{ kind: 'reduce-wait', spec: 'Review:50' }], { logName: 'helpdesk', currentSteps: report.steps });
 * result.difference.leadTimeMedianMs; // { estimate, ciLow, ciHigh } in ms
 */
export function simulateFutureState(
  reconstruction: { visits: StepVisits; cases: CaseTimes },
  requests: readonly ChangeRequest[],
  options: SimulateOptions,
): SimulateJson {
  const { visits, cases } = reconstruction;
  const runs = options.runs ?? DEFAULT_RUNS;
  const seed = options.seed ?? DEFAULT_SEED;
  const plan = planChanges(visits, requests);
  const totals = caseTotals(visits, cases, plan);
  const method = simulateMethodFor(options.method ?? 'auto', totals.leadMs.length);
  const draw = method === 'monte-carlo' ? runMonteCarlo : runGaussian;
  const monteCarlo = draw(totals, { runs, seed, ...(options.onRuns ? { onProgress: options.onRuns } : {}) });
  const activeKnown = !visits.activeUnknown;
  const { futureSteps, changedSteps } = futureStepsOf(visits, plan, { seed, currentSteps: options.currentSteps });
  const sortedLead = sortedCopy(totals.leadMs);
  const measuredAt = (p: number): number | null => (sortedLead.length > 0 ? quantileSorted(sortedLead, p) : null);
  const difference = (pick: (statistics: RunStatistics) => Float64Array) =>
    totals.leadMs.length > 0 ? intervalOverRuns(pairedDifference(pick(monteCarlo.after), pick(monteCarlo.before))) : null;

  const notes: string[] = [];
  const open = cases.caseCount - totals.leadMs.length;
  if (open > 0) notes.push(`${open} open (or untriggered) cases are not resampled: their lead time is not final`);
  if (!activeKnown) notes.push('single-timestamp log: active time is unknown; the elapsed time before each event stands for its queue, and workload is not measured');
  if (requests.length === 0) notes.push('no change given: after = before (a check that the resampling reproduces the measured distribution)');
  notes.push(
    method === 'monte-carlo'
      ? 'each run resamples the closed cases with replacement; intervals are the 2.5th–97.5th percentiles over runs'
      : `each run is drawn from the normal approximation of resampling the ${totals.leadMs.length.toLocaleString('en-US')} closed cases (from ${GAUSSIAN_MIN_CASES.toLocaleString('en-US')} up; --method monte-carlo resamples them, slower); intervals are the 2.5th–97.5th percentiles over runs`,
  );
  for (const change of plan.changes) notes.push(...change.notes);

  const partial: Omit<SimulateJson, 'statement'> = {
    schemaVersion: SIMULATE_SCHEMA_VERSION,
    workdayMs: options.workdayMs ?? null,
    tool: { name: 'valuestream', version: TOOL_VERSION },
    log: { name: options.logName, cases: cases.caseCount, closedCases: totals.leadMs.length, openCasesExcluded: open },
    runs,
    method,
    seed,
    changes: plan.changes.map(({ kind, spec, description, steps, owners, visitsAffected, notes: changeNotes }) => ({
      kind,
      spec,
      description,
      steps,
      owners,
      visitsAffected,
      notes: changeNotes,
    })),
    measured: { leadTimeMedianMs: measuredAt(0.5), leadTimeP85Ms: measuredAt(0.85), leadTimeP95Ms: measuredAt(0.95) },
    before: stateOf(monteCarlo.before, activeKnown, totals.leadMs.length),
    after: stateOf(monteCarlo.after, activeKnown, totals.leadMs.length),
    difference: {
      leadTimeMedianMs: difference((statistics) => statistics.median),
      leadTimeP85Ms: difference((statistics) => statistics.p85),
      leadTimeP95Ms: difference((statistics) => statistics.p95),
      flowEfficiency: activeKnown && totals.leadMs.length > 0 ? difference((statistics) => statistics.flowEfficiency) : null,
    },
    workload: workloadOf(visits, cases, plan),
    futureSteps,
    changedSteps,
    notes,
  };
  return { ...partial, statement: statementOf(partial) };
}
