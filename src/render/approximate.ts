/**
 * The ≈ mark of figures read from a quantile sketch (a distribution over the exact-values limit; report.json marks it
 * `approximate`, docs/outputs.md "Approximate distributions"), as estimated start times are marked with ≈. Only reads
 * report fields: the bound itself is the one the report states.
 */
import type { ReportJson } from '../contracts/report-schema.js';

interface Markable {
  approximate?: { method: string; relativeAccuracy: number } | undefined;
}

/** '≈ ' when any of the distributions is approximate, else ''. */
export function approximateMark(...distributions: ReadonlyArray<Markable | undefined>): string {
  return distributions.some((distribution) => distribution?.approximate !== undefined) ? '≈ ' : '';
}

/** The relative accuracy of the report's sketched step distributions, or null when every one is exact. */
export function approximateAccuracy(report: Pick<ReportJson, 'steps'>): number | null {
  for (const step of report.steps) {
    for (const distribution of [step.activeMs, step.queueMs, step.waitingMs, step.blockedMs, step.elapsedMs, step.delayMs]) {
      if (distribution.approximate) return distribution.approximate.relativeAccuracy;
    }
  }
  return null;
}

/** The legend's key for the mark, when the report has sketched step figures. */
export function approximateKey(report: Pick<ReportJson, 'steps'>): string[] {
  const accuracy = approximateAccuracy(report);
  return accuracy === null ? [] : [`≈ read from a quantile sketch (a step with more visits than are kept exactly): within ${accuracy * 100} %`];
}

/** A chart subtitle's addition when some of its medians come from sketches ('' when none does). */
export function approximateSubtitle(distributions: ReadonlyArray<Markable | undefined>): string {
  const found = distributions.find((distribution) => distribution?.approximate !== undefined)?.approximate;
  return found === undefined ? '' : `; ≈ medians of the largest groups read from a quantile sketch (within ${found.relativeAccuracy * 100} %)`;
}
