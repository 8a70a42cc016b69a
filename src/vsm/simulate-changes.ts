/**
 * The changes `vsm simulate` can try, turned into per-visit adjustments computed once (DESIGN §5.4). Each change
 * says what happens to a visit's time; the Monte Carlo then resamples cases with those adjustments applied.
 * What a visit's "queue" is: queueMs (ready, waiting for pickup); single-timestamp logs (active unknown) have only
 * the elapsed time before each event, which then stands for the queue. "Other delay" = waiting + blocked.
 *
 * - reduce-wait "<step>:<pct>": the step's queue, waiting and blocked time shrink by pct.
 * - wip-limit "<step>:<n>": Little's law (L = λ·W). With arrivals λ unchanged, capping the mean number of cases
 *   queueing for the step at n scales the mean queue time W by n / L, where L = Σ queue time (wall clock) of the
 *   step's visits ÷ the observed window (first entry → as-of). Applied as that factor on every visit's queue;
 *   no change when L ≤ n. Approximation: the work held back upstream by the limit is assumed to wait
 *   nowhere visible (the classic WIP-limit argument), and the queue's shape is kept.
 * - merge "<A>+<B>": B visits that directly follow an A visit lose their queue (no handover between the steps)
 *   and their active work moves to the owner of that A visit; on the future map the merged work counts in A.
 *   Customer / third-party waiting and blocked time are kept: merging teams does not make a customer reply.
 * - remove-handoff "<X>><Y>": a visit owned by Y right after a visit owned by X loses its queue (the wait after
 *   the handoff) and its active work moves to X.
 * - cut-rework "<from>><to>:<pct>": a loop occurrence is a re-entry into step `to` straight from step `from`;
 *   with probability pct per case (drawn in every Monte Carlo draw) all of the case's occurrences vanish: the
 *   visits from the earlier pass's exit to the re-entry's exit (their whole elapsed time and active work).
 * - capacity "<step>:<±pct>": the step's queue time scales by 1 / (1 + pct) (more people, proportionally
 *   shorter queue; −pct lengthens it). A first-order approximation: in a queue near saturation the effect of
 *   capacity is much stronger than proportional (M/M/1 wait ∝ 1 / (1 − utilisation)).
 */
import { VsmError, quoteGot } from '../errors.js';
import { formatPercent } from '../model/units.js';
import type { StepVisits } from '../traces/step-visits.js';

export const CHANGE_KINDS = ['reduce-wait', 'wip-limit', 'merge', 'remove-handoff', 'cut-rework', 'capacity'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeRequest {
  kind: ChangeKind;
  /** As on the command line, e.g. "Review:50" or "Support L1>Support L2". */
  spec: string;
}

export interface ResolvedChange extends ChangeRequest {
  description: string;
  steps: string[];
  owners: string[];
  /** Visits the change touches. */
  visitsAffected: number;
  notes: string[];
}

export interface VisitAdjustments {
  /** Factor on each visit's queue time (0 = removed). */
  queueKeep: Float64Array;
  /** Factor on each visit's waiting + blocked time. */
  otherDelayKeep: Float64Array;
  /** Owner credited with the visit's active work after the change (initially the visit's owner). */
  activeOwner: Int32Array;
  /** 1: the visit's work joins the previous visit's step (merge). */
  mergeIntoPrevious: Uint8Array;
  /** 1: the visit is a loop repeat that cut-rework removes (with probability `reworkShare` per case). */
  reworkRemovable: Uint8Array;
  reworkShare: number;
  /** For merge: the step code B → A (renamed "A + B" on the future map). */
  merges: { into: number; from: number }[];
  changes: ResolvedChange[];
}

function flagOf(kind: ChangeKind): string {
  return `flag --${kind}`;
}

function bad(kind: ChangeKind, what: string, got: string, fix: string): VsmError {
  return new VsmError({ code: 'BAD_OPTION', what, where: flagOf(kind), got: quoteGot(got), fix });
}

const EXAMPLES: Record<ChangeKind, string> = {
  'reduce-wait': '--reduce-wait "Review:50"',
  'wip-limit': '--wip-limit "Review:10"',
  merge: '--merge "Fix+Review"',
  'remove-handoff': '--remove-handoff "Support L1>Support L2"',
  'cut-rework': '--cut-rework "Review>Investigate:50"',
  capacity: '--capacity "Fix:+20"',
};

/** Percent text (50, 50%, +20, -10.5) → fraction. */
function parsePercent(kind: ChangeKind, text: string, whole: string): number {
  const match = /^\s*([+-]?\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!match) throw bad(kind, 'percentage not understood', whole, `write it like ${EXAMPLES[kind]}`);
  return Number(match[1]) / 100;
}

function splitLast(kind: ChangeKind, text: string, separator: string): [string, string] {
  const at = text.lastIndexOf(separator);
  if (at <= 0) throw bad(kind, `expected "<name>${separator}<value>"`, text, `write it like ${EXAMPLES[kind]}`);
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/** Finds a name case-sensitively, then case-insensitively; throws with the known names. */
function makeResolver(names: readonly string[]): (name: string) => number | undefined {
  return (name) => {
    const exact = names.indexOf(name);
    if (exact >= 0) return exact;
    const lower = name.toLowerCase();
    const loose = names.findIndex((candidate) => candidate.toLowerCase() === lower);
    return loose >= 0 ? loose : undefined;
  };
}

function unknownName(kind: ChangeKind, noun: string, got: string, names: readonly string[]): VsmError {
  const shown = names.slice(0, 12).map((name) => `"${name}"`).join(', ');
  return bad(kind, `unknown ${noun}`, got, `use one of ${shown}${names.length > 12 ? ` (and ${names.length - 12} more)` : ''}`);
}

/** Splits "A<sep>B" where names may contain the separator: tries every position until both sides resolve. */
function splitPair(kind: ChangeKind, text: string, separator: string, resolve: (name: string) => number | undefined, noun: string, names: readonly string[]): [number, number] {
  let at = text.indexOf(separator);
  if (at < 0) throw bad(kind, `expected "<${noun}>${separator}<${noun}>"`, text, `write it like ${EXAMPLES[kind]}`);
  while (at >= 0) {
    const a = resolve(text.slice(0, at).trim());
    const b = resolve(text.slice(at + separator.length).trim());
    if (a !== undefined && b !== undefined) return [a, b];
    at = text.indexOf(separator, at + 1);
  }
  const first = text.slice(0, text.indexOf(separator)).trim();
  throw unknownName(kind, noun, resolve(first) === undefined ? first : text.slice(text.indexOf(separator) + separator.length).trim(), names);
}

/** Mean number of cases queueing for each step (Little's L), from wall-clock queue time over the observed window. */
export function meanQueueWip(visits: StepVisits): Float64Array {
  const wip = new Float64Array(visits.steps.length);
  let firstMs = Infinity;
  let lastMs = -Infinity;
  for (let v = 0; v < visits.count; v++) {
    const enteredAt = visits.enteredAt[v];
    const exitedAt = visits.open[v] === 1 || Number.isNaN(visits.exitedAt[v]) ? visits.asOfMs : visits.exitedAt[v];
    if (Number.isFinite(enteredAt) && enteredAt < firstMs) firstMs = enteredAt;
    if (Number.isFinite(exitedAt) && exitedAt > lastMs) lastMs = exitedAt;
    const queueMs = visits.activeUnknown ? visits.elapsedMs[v] : visits.queueMs[v];
    if (!(queueMs > 0)) continue;
    // Queue time is on the calendar in force; scale it back to wall clock by the visit's wall ÷ calendar ratio.
    const wallMs = exitedAt - enteredAt;
    const wallPerCalendar = visits.elapsedMs[v] > 0 && wallMs > 0 ? wallMs / visits.elapsedMs[v] : 1;
    wip[visits.stepCode[v]] += queueMs * wallPerCalendar;
  }
  const windowMs = lastMs - firstMs;
  for (let s = 0; s < wip.length; s++) wip[s] = windowMs > 0 ? wip[s] / windowMs : 0;
  return wip;
}

/** Resolves the requested changes against the log's steps and owners and computes the per-visit adjustments. */
export function planChanges(visits: StepVisits, requests: readonly ChangeRequest[]): VisitAdjustments {
  const n = visits.count;
  const plan: VisitAdjustments = {
    queueKeep: new Float64Array(n).fill(1),
    otherDelayKeep: new Float64Array(n).fill(1),
    activeOwner: Int32Array.from(visits.ownerCode),
    mergeIntoPrevious: new Uint8Array(n),
    reworkRemovable: new Uint8Array(n),
    reworkShare: 0,
    merges: [],
    changes: [],
  };
  const stepNames = visits.steps.map((step) => step.name);
  const mapSteps = stepNames.filter((_, code) => !visits.steps[code].outcome);
  const ownerNames = visits.owners.values as readonly string[];
  let wip: Float64Array | undefined;

  for (const request of requests) {
    const { kind, spec } = request;
    const resolveStep = makeResolver(stepNames);
    const step = (name: string): number => {
      const code = resolveStep(name);
      if (code === undefined || visits.steps[code].outcome) throw unknownName(kind, 'step', name, mapSteps);
      return code;
    };
    const change: ResolvedChange = { kind, spec, description: '', steps: [], owners: [], visitsAffected: 0, notes: [] };
    const eachVisit = (test: (v: number) => boolean, apply: (v: number) => void): void => {
      for (let v = 0; v < n; v++) {
        if (!test(v)) continue;
        apply(v);
        change.visitsAffected++;
      }
    };
    const first = (v: number): boolean => v === visits.caseVisitStart[visits.caseCode[v]];

    if (kind === 'reduce-wait' || kind === 'capacity' || kind === 'wip-limit') {
      const [name, value] = splitLast(kind, spec, ':');
      const code = step(name);
      change.steps = [stepNames[code]];
      let queueFactor = 1;
      let otherFactor = 1;
      if (kind === 'reduce-wait') {
        const share = parsePercent(kind, value, spec);
        if (!(share > 0 && share <= 1)) throw bad(kind, 'cut must be above 0 and at most 100 %', spec, `write it like ${EXAMPLES[kind]}`);
        queueFactor = otherFactor = 1 - share;
        change.description = `Cut the waiting time (queue, waiting, blocked) of ${stepNames[code]} by ${formatPercent(share)}`;
      } else if (kind === 'capacity') {
        const share = parsePercent(kind, value, spec);
        if (!(share > -1) || share === 0) throw bad(kind, 'capacity change must be above −100 % and not 0', spec, `write it like ${EXAMPLES[kind]}`);
        queueFactor = 1 / (1 + share);
        change.description = `${share > 0 ? 'Add' : 'Remove'} ${formatPercent(Math.abs(share))} capacity at ${stepNames[code]}: its queue time scales by ${queueFactor.toFixed(2)} (first-order approximation)`;
      } else {
        const limit = Number(value);
        if (!Number.isInteger(limit) || limit < 1) throw bad(kind, 'WIP limit must be a whole number ≥ 1', spec, `write it like ${EXAMPLES[kind]}`);
        wip ??= meanQueueWip(visits);
        const current = wip[code];
        queueFactor = current > limit ? limit / current : 1;
        change.description = `Limit the queue before ${stepNames[code]} to ${limit} cases (now ${current.toFixed(1)} on average): queue time × ${queueFactor.toFixed(2)} by Little's law`;
        if (queueFactor === 1) change.notes.push(`the queue before ${stepNames[code]} already averages ${current.toFixed(1)} ≤ ${limit} cases: no change`);
      }
      eachVisit(
        (v) => visits.stepCode[v] === code,
        (v) => {
          plan.queueKeep[v] *= queueFactor;
          plan.otherDelayKeep[v] *= otherFactor;
        },
      );
    } else if (kind === 'merge') {
      const [a, b] = splitPair(kind, spec, '+', resolveStep, 'step', mapSteps);
      for (const code of [a, b]) if (visits.steps[code].outcome) throw unknownName(kind, 'step', stepNames[code], mapSteps);
      if (a === b) throw bad(kind, 'cannot merge a step with itself', spec, `write it like ${EXAMPLES[kind]}`);
      change.steps = [stepNames[a], stepNames[b]];
      change.description = `Merge ${stepNames[b]} into ${stepNames[a]}: no queue between them, ${stepNames[a]}'s owner does ${stepNames[b]}'s work`;
      plan.merges.push({ into: a, from: b });
      eachVisit(
        (v) => !first(v) && visits.stepCode[v] === b && visits.stepCode[v - 1] === a,
        (v) => {
          plan.queueKeep[v] = 0;
          plan.mergeIntoPrevious[v] = 1;
          if (visits.ownerCode[v - 1] >= 0) plan.activeOwner[v] = plan.activeOwner[v - 1];
        },
      );
      if (change.visitsAffected === 0) change.notes.push(`no ${stepNames[b]} visit directly follows ${stepNames[a]}: nothing to merge`);
    } else if (kind === 'remove-handoff') {
      const resolveOwner = makeResolver(ownerNames);
      const [x, y] = splitPair(kind, spec, '>', resolveOwner, 'owner', ownerNames);
      change.owners = [ownerNames[x], ownerNames[y]];
      change.description = `Remove the handoff from ${ownerNames[x]} to ${ownerNames[y]}: ${ownerNames[x]} keeps the work, the wait after the handoff goes`;
      eachVisit(
        (v) => !first(v) && visits.ownerCode[v - 1] === x && visits.ownerCode[v] === y,
        (v) => {
          plan.queueKeep[v] = 0;
          plan.activeOwner[v] = x;
        },
      );
      if (change.visitsAffected === 0) change.notes.push(`no handoff from ${ownerNames[x]} to ${ownerNames[y]} in this log`);
    } else {
      if (plan.reworkShare > 0) throw bad(kind, 'only one --cut-rework per simulation', spec, 'simulate each loop in its own run');
      const [loop, value] = splitLast(kind, spec, ':');
      const share = parsePercent(kind, value, spec);
      if (!(share > 0 && share <= 1)) throw bad(kind, 'cut must be above 0 and at most 100 %', spec, `write it like ${EXAMPLES[kind]}`);
      const [from, to] = splitPair(kind, loop, '>', resolveStep, 'step', mapSteps);
      change.steps = [stepNames[from], stepNames[to]];
      change.description = `Remove the cause of the ${stepNames[from]} → ${stepNames[to]} loop for ${formatPercent(share)} of the cases that take it`;
      plan.reworkShare = share;
      change.visitsAffected = markLoopRepeats(visits, from, to, plan.reworkRemovable);
      if (change.visitsAffected === 0) change.notes.push(`no case goes from ${stepNames[from]} back to ${stepNames[to]} in this log`);
    }
    plan.changes.push(change);
  }
  return plan;
}

/** Marks the visits of every re-entry into `to` straight from `from`: from the earlier pass's exit to the re-entry. */
function markLoopRepeats(visits: StepVisits, from: number, to: number, removable: Uint8Array): number {
  let marked = 0;
  for (let c = 0; c < visits.caseCount; c++) {
    let lastTo = -1;
    for (let v = visits.caseVisitStart[c]; v < visits.caseVisitStart[c + 1]; v++) {
      if (visits.stepCode[v] !== to) continue;
      if (lastTo >= 0 && visits.stepCode[v - 1] === from) {
        for (let k = lastTo + 1; k <= v; k++) {
          if (removable[k] === 0) marked++;
          removable[k] = 1;
        }
      }
      lastTo = v;
    }
  }
  return marked;
}
