/**
 * What a finding may claim (DESIGN §5, §7b): a number needs enough finished visits behind it, a finding built on a
 * `partial` metric says so in its sentence, and a wait at the first queue before the commitment point is backlog
 * time, not a WIP problem.
 */
import { formatCount } from '../model/units.js';
import type { StepJson, SufficiencyJson } from '../contracts/report-schema.js';
import { MIN_FINISHED_VISITS, type SufficiencyMetric } from './sufficiency.js';

/** Defined beside the verdicts (flow efficiency uses it too); re-exported for the findings. */
export { MIN_FINISHED_VISITS } from './sufficiency.js';

/** The top-ranked item and the best-ranked one with at least MIN_FINISHED_VISITS finished values. */
export function pickSupported<T>(ranked: readonly T[], finished: (item: T) => number): { top: T | undefined; supported: T | undefined } {
  return { top: ranked[0], supported: ranked.find((item) => finished(item) >= MIN_FINISHED_VISITS) };
}

/** "not enough finished visits to say whether X …: 2 of its 9 visits have finished" (the sentence's opening). */
export function notEnoughText(subject: string, finished: number, total: number, noun: string): string {
  return (
    `Not enough finished ${noun} to say about ${subject}: ${formatCount(finished)} of ${formatCount(total)} ${noun} have finished ` +
    `(at least ${MIN_FINISHED_VISITS} are needed).`
  );
}

/** " Partial data: <reasons>." when any of `metrics` is `partial`, else "". */
export function partialClause(sufficiency: SufficiencyJson | undefined, metrics: readonly SufficiencyMetric[]): string {
  const reasons = new Set<string>();
  for (const metric of metrics) {
    const entry = sufficiency?.[metric];
    // Reasons are joined with "; " per metric; split so a reason shared by two metrics is said once.
    if (entry?.verdict === 'partial' && entry.reason) for (const reason of entry.reason.split('; ')) reasons.add(reason);
  }
  return reasons.size === 0 ? '' : ` Partial data: ${[...reasons].join('; ')}.`;
}

/**
 * True when a step is intake: the first step of the map, a queue, with no commitment point configured — its wait is
 * backlog time before anyone committed to the work (set config `trigger`, or cut intake; a WIP limit does not apply).
 */
export function isIntakeStep(step: Pick<StepJson, 'order' | 'class'>, commitmentPointSet: boolean): boolean {
  return !commitmentPointSet && step.order === 0 && step.class === 'queue';
}

export const INTAKE_ADVICE =
  'this is backlog time before the commitment point: set the commitment point (config "trigger", e.g. { "activity": "In Progress" }) or cut intake; a WIP limit does not shorten a backlog';
