/**
 * Flow per week (DESIGN §4: throughput, WIP, aging, cumulative flow). Weeks are ISO weeks starting Monday 00:00
 * in `timeZone` (default UTC), from the week of the log's first instant to the week of its last (trigger,
 * outcome, visit entry and exit times).
 *
 * - arrivals: cases triggered in the week; throughput: cases reaching their outcome in the week;
 *   wip: cases triggered by the week's end and not yet at their outcome (cumulative arrivals − throughput).
 * - per step: visits entered / exited in the week and visits open at the week's end (cumulative difference),
 *   dense (every step × every week; zeros included) so cumulative-flow charts need no gap filling.
 * - aging: cases open at asOf, oldest first. ageMs = the case's leadMs (calendar ms trigger → asOf);
 *   step / inStepMs = its open last visit and that visit's elapsedMs (calendar ms entry → asOf). A case
 *   between steps (activity logs: every visit closed, outcome not reached) has step null and inStepMs =
 *   asOf − its last exit in elapsed ms.
 *
 * One pass over cases and visits plus O(weeks × steps): an instant's week is its UTC week guess corrected
 * against precomputed local week boundaries (an offset is under a week, so at most one step each way).
 */
import { makeZoneClock } from '../calendar/zone-clock.js';
import type { Dictionary } from '../model/dictionary.js';
import type { ReportJson } from '../contracts/report-schema.js';
import type { CaseTimes, StepVisits } from '../traces/step-visits.js';

export type FlowJson = ReportJson['flow'];

export interface FlowOptions {
  /** IANA zone of the calendar in force; weeks start Monday 00:00 there. Default UTC. */
  timeZone?: string;
  /** Open cases listed in `aging`. */
  agingTop?: number;
  /** Case id names by case code; default the case code as text. */
  caseIds?: Dictionary;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Day 0 (1970-01-01) was a Thursday: Monday-based week k starts at wall ms k·WEEK − 3·DAY. */
const MONDAY_SHIFT_MS = 3 * DAY_MS;

const utcWeekOf = (wallMs: number): number => Math.floor((wallMs + MONDAY_SHIFT_MS) / WEEK_MS);

/**
 * Weekly arrivals / throughput / WIP, per-step cumulative flow and the aging of open cases.
 * @example computeFlow(visits, cases, { timeZone: 'Europe/Berlin', caseIds: log.caseIds }).weeks[0] // { weekStart: '2024-01-01', … }
 */
export function computeFlow(visits: StepVisits, cases: CaseTimes, options: FlowOptions = {}): FlowJson {
  const { timeZone, agingTop = 50, caseIds } = options;
  const stepCount = visits.steps.length;

  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  const widen = (instantMs: number): void => {
    if (instantMs < firstMs) firstMs = instantMs;
    if (instantMs > lastMs) lastMs = instantMs;
  };
  for (let c = 0; c < cases.caseCount; c++) {
    if (Number.isFinite(cases.triggeredAt[c])) widen(cases.triggeredAt[c]);
    if (Number.isFinite(cases.outcomeAt[c])) widen(cases.outcomeAt[c]);
  }
  for (let v = 0; v < visits.count; v++) {
    if (Number.isFinite(visits.enteredAt[v])) widen(visits.enteredAt[v]);
    if (Number.isFinite(visits.exitedAt[v])) widen(visits.exitedAt[v]);
  }
  const aging = agingOf(visits, cases, agingTop, caseIds);
  if (!(firstMs <= lastMs)) return { weeks: [], stepWeeks: [], aging };

  const clock = timeZone !== undefined && timeZone !== 'UTC' ? makeZoneClock(timeZone) : null;
  const localWeekOf = (instantMs: number): number => utcWeekOf(instantMs + (clock ? clock.offsetMs(instantMs) : 0));
  const firstWeek = localWeekOf(firstMs);
  const weekCount = localWeekOf(lastMs) - firstWeek + 1;
  // boundaryMs[w] = UTC instant of Monday 00:00 local starting week w (w = weekCount: end of the last week).
  const boundaryMs = new Float64Array(weekCount + 1);
  for (let w = 0; w <= weekCount; w++) {
    const wallMs = (firstWeek + w) * WEEK_MS - MONDAY_SHIFT_MS;
    boundaryMs[w] = clock ? clock.wallToUtcMs(wallMs) : wallMs;
  }
  const weekIndex = (instantMs: number): number => {
    let w = Math.min(weekCount - 1, Math.max(0, utcWeekOf(instantMs) - firstWeek));
    while (w > 0 && instantMs < boundaryMs[w]) w--;
    while (w < weekCount - 1 && instantMs >= boundaryMs[w + 1]) w++;
    return w;
  };

  const arrivals = new Int32Array(weekCount);
  const throughput = new Int32Array(weekCount);
  for (let c = 0; c < cases.caseCount; c++) {
    if (Number.isFinite(cases.triggeredAt[c])) arrivals[weekIndex(cases.triggeredAt[c])]++;
    if (cases.censored[c] === 0 && Number.isFinite(cases.outcomeAt[c])) throughput[weekIndex(cases.outcomeAt[c])]++;
  }
  const entered = new Int32Array(weekCount * stepCount);
  const exited = new Int32Array(weekCount * stepCount);
  for (let v = 0; v < visits.count; v++) {
    const step = visits.stepCode[v];
    if (Number.isFinite(visits.enteredAt[v])) entered[weekIndex(visits.enteredAt[v]) * stepCount + step]++;
    if (Number.isFinite(visits.exitedAt[v])) exited[weekIndex(visits.exitedAt[v]) * stepCount + step]++;
  }

  const weekStart = (w: number): string => new Date((firstWeek + w) * WEEK_MS - MONDAY_SHIFT_MS).toISOString().slice(0, 10);
  const weeks: FlowJson['weeks'] = [];
  const stepWeeks: FlowJson['stepWeeks'] = [];
  let wip = 0;
  const stepWip = new Int32Array(stepCount);
  for (let w = 0; w < weekCount; w++) {
    const label = weekStart(w);
    wip += arrivals[w] - throughput[w];
    weeks.push({ weekStart: label, arrivals: arrivals[w], throughput: throughput[w], wip });
    for (let s = 0; s < stepCount; s++) {
      const cell = w * stepCount + s;
      stepWip[s] += entered[cell] - exited[cell];
      stepWeeks.push({ step: visits.steps[s].name, weekStart: label, entered: entered[cell], exited: exited[cell], wip: stepWip[s] });
    }
  }
  return { weeks, stepWeeks, aging };
}

function agingOf(visits: StepVisits, cases: CaseTimes, agingTop: number, caseIds: Dictionary | undefined): FlowJson['aging'] {
  const openCases: number[] = [];
  for (let c = 0; c < cases.caseCount; c++) if (cases.censored[c] === 1) openCases.push(c);
  const caseIdOf = (c: number): string => {
    const code = visits.caseVisitStart[c] < visits.caseVisitStart[c + 1] ? visits.caseCode[visits.caseVisitStart[c]] : c;
    return caseIds?.valueOf(code) ?? String(code);
  };
  openCases.sort((a, b) => cases.leadMs[b] - cases.leadMs[a] || a - b);
  return openCases.slice(0, agingTop).map((c) => {
    const begin = visits.caseVisitStart[c];
    const last = visits.caseVisitStart[c + 1] - 1;
    if (last < begin) return { caseId: caseIdOf(c), step: null, ageMs: cases.leadMs[c], inStepMs: cases.leadMs[c] };
    if (visits.open[last] === 1) {
      return { caseId: caseIdOf(c), step: visits.steps[visits.stepCode[last]].name, ageMs: cases.leadMs[c], inStepMs: visits.elapsedMs[last] };
    }
    return { caseId: caseIdOf(c), step: null, ageMs: cases.leadMs[c], inStepMs: Math.max(0, visits.asOfMs - visits.exitedAt[last]) };
  });
}
