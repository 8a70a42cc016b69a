/**
 * The sufficiency verdicts of a ClickHouse analysis (report.json `dataQuality.sufficiency`): data limits (cases left
 * out, no start times under --no-estimate) worded as in memory, and engine limits marked structurally
 * (`notComputedBy`), so reports say "unknown" and --strict does not fail on what only this engine leaves out.
 */
import type { ReportJson, SufficiencyJson, SufficiencyVerdictJson } from '../../contracts/report-schema.js';
import { instantCaseLimit, NO_STARTS_ACTIVE_REASON, NO_STARTS_CYCLE_REASON, NO_STARTS_FIX, NOT_COMPUTED_BY_ENGINE, type SufficiencyMetric } from '../sufficiency.js';
import type { ClickHouseAnalysis } from './engine.js';
import { estimatedStartsLimits, estimatedStartsProblems } from './estimate-report.js';

const ENGINE_FIX = 'run vsm analyze on an export of the table with the in-memory engine for these figures (docs/clickhouse.md)';

interface Limit {
  verdict: 'partial' | 'unsupported';
  reason: string;
  engine: boolean;
  /** The fix when it is not the default one (engine: analyse an export in memory; data: the unpaired events). */
  fix?: string;
}

/**
 * Single-timestamp logs read with --no-estimate: no start times in the data, a data limit (both engines estimate them
 * by default), worded as the in-memory verdicts (src/vsm/sufficiency.ts).
 */
const NO_STARTS: Limit = { verdict: 'unsupported', reason: NO_STARTS_ACTIVE_REASON, engine: false, fix: NO_STARTS_FIX };
const NO_STARTS_CYCLE: Limit = { verdict: 'unsupported', reason: NO_STARTS_CYCLE_REASON, engine: false, fix: NO_STARTS_FIX };

function verdict(parts: readonly Limit[], counts: Record<string, number> = {}): SufficiencyVerdictJson {
  if (parts.length === 0) return { verdict: 'ok', reason: null, fix: null, counts };
  const worst = parts.some((part) => part.verdict === 'unsupported') ? 'unsupported' : 'partial';
  const fixes = new Set(parts.map((part) => part.fix ?? (part.engine ? ENGINE_FIX : 'check the start/complete events of these cases (every start needs its complete)')));
  const engineParts = parts.filter((part) => part.engine).length;
  return {
    verdict: worst,
    reason: parts.map((part) => part.reason).join('; '),
    fix: [...fixes].join('; '),
    counts,
    ...(engineParts > 0 ? { notComputedBy: { engine: 'clickhouse', only: engineParts === parts.length } } : {}),
  };
}

/** Every metric's verdict, and the data problems (texts) among them for callers that list them. */
export function engineSufficiency(
  analysis: ClickHouseAnalysis,
  summaries: { leadTimeMs: ReportJson['leadTimeMs']; cycleTimeMs: ReportJson['cycleTimeMs']; elapsedOnly: boolean },
): { sufficiency: SufficiencyJson; dataProblems: string[] } {
  const { log, leadTimeMs: lead, caseTimes } = analysis;
  const { leadTimeMs, cycleTimeMs, elapsedOnly } = summaries;
  const measured = lead.closed + lead.censored;
  // Sufficiency: data limits (cases left out) and engine limits, told apart by each Limit's `engine` flag (which
  // becomes the verdict's notComputedBy).
  const notPushed = log.casesNotPushedDown;
  const engine = (reason: string, level: 'partial' | 'unsupported' = 'unsupported'): Limit => ({ verdict: level, reason: `${reason} ${NOT_COMPUTED_BY_ENGINE}`, engine: true });
  const dataLimit: Limit[] = [
    ...(notPushed > 0 ? [{ verdict: 'partial' as const, reason: `${notPushed} cases with unpaired start/complete events left out`, engine: false }] : []),
    ...(log.casesOpenAtAsOf > 0 ? [engine(`${log.casesOpenAtAsOf} cases with instances open at the as-of left out:`, 'partial')] : []),
    ...(log.casesMergedInstances > 0 ? [engine(`${log.casesMergedInstances} cases whose instances merge into one visit of a config step left out:`, 'partial')] : []),
  ];
  // Kaplan–Meier figures are unknown only when open cases exist and the group was too large to come back raw.
  const kmUnknown = (summary: ReportJson['leadTimeMs']): Limit[] =>
    summary.censored > 0 && summary.n > analysis.rawValuesMax
      ? [engine(`${summary.censored} open cases among more than ${analysis.rawValuesMax.toLocaleString('en-US')} cases: Kaplan–Meier percentiles and the mean`, 'partial')]
      : [];
  // Cases that ended at their trigger's instant: worded and judged as in memory (sufficiency.ts instantCaseLimit).
  const instantLimit = instantCaseLimit(lead.closedInstant, lead.closed);
  const instant: Limit[] = instantLimit === null ? [] : [{ verdict: instantLimit.verdict, reason: instantLimit.reason, engine: false, fix: instantLimit.fix }];
  const timed = [...dataLimit, ...instant];
  const leadParts = [...timed, ...kmUnknown(leadTimeMs)];
  const sufficiency: Record<SufficiencyMetric, SufficiencyVerdictJson> = {
    leadTime: verdict(leadParts, { casesMeasured: measured, casesClosed: lead.closed, casesOpen: lead.censored, ...(instantLimit === null ? {} : instantLimit.counts) }),
    cycleTime:
      caseTimes === null
        ? elapsedOnly
          ? verdict([...timed, NO_STARTS_CYCLE], measured > 0 ? { casesMeasured: measured, casesWithFirstActiveWork: 0 } : {})
          : verdict([...timed, engine(`cycle time (first active work → outcome, ${analysis.caseTimesUnknown ?? ''}):`)])
        : verdict([...timed, ...kmUnknown(cycleTimeMs)]),
    stepTimes:
      analysis.stepTimes === null && analysis.activityStepTimes === null && !elapsedOnly
        ? verdict([...timed, engine(`step times by status class (active, queue, waiting, blocked) and delays (${analysis.stepTimesUnknown ?? ''}):`)], { visits: log.visits })
        : verdict(timed, { visits: log.visits }),
    flowEfficiency:
      caseTimes === null
        ? verdict([...timed, elapsedOnly ? NO_STARTS : engine('active time per case, so flow efficiency:')])
        : verdict([...timed, ...estimatedStartsLimits(analysis)]),
    handoffs: verdict([
      ...dataLimit,
      ...(analysis.handoffs.matrix.some((pair) => pair.wait === null)
        ? [engine('the wait after each handoff (activity logs without recorded starts):', 'partial')]
        : []),
    ]),
    rework: verdict([...dataLimit, ...(analysis.rework.loops.some((loop) => loop.added === null) ? [engine('the time rework loops add (activity logs without recorded starts):', 'partial')] : [])]),
    variants: verdict(dataLimit),
    flow:
      analysis.flow === null || analysis.flow.stepSlots !== null
        ? verdict([])
        : verdict([engine('activity logs without recorded starts: steps entered and exited per week (per-step flow):', 'partial')]),
  };
  const dataProblems = [...dataLimit.filter((part) => !part.engine).map((part) => part.reason), ...estimatedStartsProblems(analysis)];
  return { sufficiency: sufficiency as SufficiencyJson, dataProblems };
}
