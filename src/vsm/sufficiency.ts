/**
 * The data-sufficiency check (DESIGN §7b): after the log is read and its cases reconstructed, and before any metric,
 * decide per metric whether this log supports it — `ok`, `partial` (cases excluded, pages missing) or `unsupported`
 * (no status history, no start times) — with the reason, the fix and the counts behind it. Verdicts travel into
 * report.json (`dataQuality.sufficiency`), the top of every report, the findings' sentences and `--strict`.
 */
import type { IngestReport } from '../contracts/ingest-report.js';
import { describePagination } from '../ingest/pagination.js';
import type { ReconstructionLog } from '../model/event-log.js';
import { formatCount } from '../model/units.js';
import { usesCaseFieldTimes } from '../traces/case-field-times.js';
import type { Reconstruction } from '../traces/reconstruct.js';
import type { StepVisits } from '../traces/step-visits.js';
import type { SufficiencyJson, SufficiencyVerdictJson } from '../contracts/report-schema.js';

/** The metrics judged, in the order reports list them. */
export const SUFFICIENCY_METRICS = ['leadTime', 'cycleTime', 'stepTimes', 'flowEfficiency', 'handoffs', 'rework', 'variants', 'flow'] as const;
export type SufficiencyMetric = (typeof SUFFICIENCY_METRICS)[number];

/** Plain names of the metrics, for sentences. */
export const METRIC_LABELS: Record<SufficiencyMetric, string> = {
  leadTime: 'lead time',
  cycleTime: 'cycle time',
  stepTimes: 'step times',
  flowEfficiency: 'flow efficiency',
  handoffs: 'handoffs',
  rework: 'rework',
  variants: 'variants',
  flow: 'weekly flow',
};

/**
 * The phrase every limit of an engine (not of the data) carries in a verdict's reason: `vsm analyze --engine
 * clickhouse` leaves some figures unknown. Reports say "unknown" for them, and `--strict` does not fail on them.
 */
export const NOT_COMPUTED_BY_ENGINE = 'not computed by --engine clickhouse';

/** True when an engine limit is a verdict's only limit (its structural `notComputedBy` marker, schema 1.3.0). */
export function isEngineLimitOnly(verdict: Pick<SufficiencyVerdictJson, 'notComputedBy'> | null | undefined): boolean {
  return verdict?.notComputedBy?.only === true;
}

/** True when an engine left any part of the verdict's metric uncomputed (`notComputedBy` set). */
export function isEngineLimited(verdict: Pick<SufficiencyVerdictJson, 'notComputedBy'> | null | undefined): boolean {
  return verdict?.notComputedBy !== undefined;
}

/** One reason a metric is not fully supported. */
export interface Limitation {
  verdict: 'partial' | 'unsupported';
  reason: string;
  fix: string;
  counts: Record<string, number>;
}

export { describePagination };

const RANK = { ok: 0, partial: 1, unsupported: 2 } as const;

/** "1 case" / "3 cases". */
function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/**
 * Fewest finished (closed) visits, loops or handoff waits a finding needs before it names a median or a saving, and
 * fewest finished cases before flow efficiency is said plainly. Below it: "not enough finished visits to say".
 */
export const MIN_FINISHED_VISITS = 5;

export const PAGINATION_FIX = 'fetch every page (follow the next-page link or cursor until the last page) into one folder and pass the folder';
const NO_OWNER_FIX =
  'map the owner column (--resource), or export the assignee history too (Jira: the changelog with assignee items, Zendesk: assignee_id audit events)';

export const LEFT_CENSORED_FIX =
  "export each case's history from its creation (Jira: every changelog page; Zendesk/Fivetran: a full re-sync of ticket_field_history; an export cut at a date: start it earlier)";

function paginationLimitations(ingest: IngestReport): Limitation[] {
  return (ingest.history?.pagination ?? [])
    .filter((summary) => summary.incomplete)
    .map((summary) => ({
      verdict: 'partial' as const,
      reason: describePagination(summary, ingest.format),
      fix: PAGINATION_FIX,
      counts: {
        pagesRead: summary.pagesRead,
        itemsRead: summary.itemsRead,
        ...(summary.totalItems !== undefined ? { totalItems: summary.totalItems } : {}),
        ...(summary.itemsMissingAbout !== undefined ? { itemsMissingAbout: summary.itemsMissingAbout } : {}),
        ...(summary.pagesAbout !== undefined ? { pagesAbout: summary.pagesAbout } : {}),
      },
    }));
}

function combine(limitations: readonly Limitation[], okReason: string | null = null, okCounts: Record<string, number> = {}): SufficiencyVerdictJson {
  if (limitations.length === 0) return { verdict: 'ok', reason: okReason, fix: null, counts: okCounts };
  const worst = limitations.reduce((a, b) => (RANK[b.verdict] > RANK[a.verdict] ? b : a));
  const counts: Record<string, number> = { ...okCounts };
  for (const limitation of limitations) Object.assign(counts, limitation.counts);
  return {
    verdict: worst.verdict,
    reason: [okReason, ...limitations.map((l) => l.reason)].filter((r): r is string => r !== null).join('; '),
    fix: [...new Set(limitations.map((l) => l.fix))].join('; '),
    counts,
  };
}

function measuredLeadCases(reconstruction: Pick<Reconstruction, 'cases'>): { measured: number; closed: number; open: number; cycleMeasured: number; closedOffHours: number; closedInstant: number } {
  const { cases } = reconstruction;
  let measured = 0;
  let open = 0;
  let cycleMeasured = 0;
  let closedOffHours = 0;
  let closedInstant = 0;
  for (let c = 0; c < cases.caseCount; c++) {
    if (Number.isNaN(cases.leadMs[c])) continue;
    measured++;
    open += cases.censored[c];
    if (!Number.isNaN(cases.cycleMs[c])) cycleMeasured++;
    // Time passed but none of it was working time: the case ran outside the business calendar's hours.
    if (cases.censored[c] === 0 && cases.leadMs[c] === 0 && cases.outcomeAt[c] > cases.triggeredAt[c]) closedOffHours++;
    // No time passed at all: trigger and outcome are one instant (a single event, or one timestamp on every event).
    if (cases.censored[c] === 0 && cases.outcomeAt[c] === cases.triggeredAt[c]) closedInstant++;
  }
  return { measured, closed: measured - open, open, cycleMeasured, closedOffHours, closedInstant };
}

/**
 * The verdict when at least half of the `closed` finished cases are `count` cases whose lead time says nothing (see
 * the two below): unsupported when every finished case is one, partial from half of them, none below that.
 */
function mostClosedCasesLimit(count: number, closed: number, limit: Omit<Limitation, 'verdict'>): Limitation | null {
  if (!(count > 0) || count * 2 < closed) return null;
  return { verdict: count === closed ? 'unsupported' : 'partial', ...limit };
}

/**
 * Finished cases that reached their outcome at the instant they were triggered: each has one event, or every event of
 * it carries the same time (an export or last-update time in the time column instead of each event's own). Their lead
 * time is 0 s by construction. Exported for `--engine clickhouse`, which counts them in SQL.
 */
export function instantCaseLimit(closedInstant: number, closed: number): Limitation | null {
  return mostClosedCasesLimit(closedInstant, closed, {
    reason: `${countOf(closedInstant, 'finished case')} of ${formatCount(closed)} ended at the instant ${closedInstant === 1 ? 'it' : 'they'} began (one event, or one timestamp on all of a case's events): no time passed that could be measured`,
    fix: "map the column with each event's own time (--timestamp; vsm inspect lists the columns), or export each case's full history",
    counts: { casesInstant: closedInstant },
  });
}

/**
 * Finished cases that took time but no working time: they ran outside the business calendar's hours, so their lead
 * time (and the step times in them) is 0 working time. Usually a calendar that does not fit the team (another zone,
 * other days or hours) rather than work that really happens off hours.
 */
function offHoursLimit(closedOffHours: number, closed: number): Limitation | null {
  return mostClosedCasesLimit(closedOffHours, closed, {
    reason: `${countOf(closedOffHours, 'finished case')} of ${formatCount(closed)} ran entirely outside the calendar's working hours: in working time they took 0 s`,
    fix: "check the calendar's zone, days and hours against when the work happens (--calendar), or leave --calendar out to measure elapsed time",
    counts: { casesOffHours: closedOffHours },
  });
}

/** A status log whose statuses are none of them classed active: working time cannot be told from waiting. */
function hasNoActiveStatus(visits: StepVisits | StreamedVisitFacts): boolean {
  return visits.shape === 'status' && visits.count > 0 && !visits.steps.some((step) => step.members.some((member) => member.statusClass === 'active'));
}

const NO_ACTIVE_STATUS_FIX = 'class the statuses where work happens as active in vsm.config.json ("statuses": { "<name>": "active" }), or export a status history that has them';
/** Single-timestamp logs read without start estimation (`--no-estimate`): what the data lacks and how to get it. */
export const NO_STARTS_FIX = 'export start and complete events (lifecycle), or a start-time column (--start-timestamp)';
export const NO_STARTS_ACTIVE_REASON = 'single-timestamp log: no start times, so active time is unknown';
export const NO_STARTS_CYCLE_REASON = 'single-timestamp log: no start times, so no case has a first active work instant and cycle time (first active work → outcome) is unknown';

/**
 * Cycle time runs from a case's first active work to its outcome. When cases have a lead time but none has a first
 * active instant, an empty cycle time next to an "ok" verdict would read as "nothing to say"; the log cannot tell.
 */
function cycleTimeLimits(visits: StepVisits | StreamedVisitFacts, lead: { measured: number; cycleMeasured: number }): Limitation[] {
  if (lead.measured === 0 || lead.cycleMeasured > 0) return [];
  const counts = { casesMeasured: lead.measured, casesWithFirstActiveWork: 0 };
  if (visits.activeUnknown) {
    return [{ verdict: 'unsupported', reason: NO_STARTS_CYCLE_REASON, fix: NO_STARTS_FIX, counts }];
  }
  if (hasNoActiveStatus(visits)) {
    return [{ verdict: 'unsupported', reason: 'no status in this log is classed active (work in progress), so no case has a first active work instant and cycle time (first active work → outcome) is unknown', fix: NO_ACTIVE_STATUS_FIX, counts }];
  }
  return [{
    verdict: 'unsupported',
    reason: `none of the ${countOf(lead.measured, 'case')} with a lead time reached active work before its outcome, so cycle time (first active work → outcome) is unknown`,
    fix: 'check which statuses or activities count as active work (vsm.config.json "statuses" / "steps") and the trigger',
    counts,
  }];
}

/**
 * Finished visits of an activity log with recorded starts when every one of them took 0 s (start == completion),
 * else 0: such starts are copies of the completion time, not the moment work began. Compared as instants, not as the
 * visits' active time: on a business calendar work done outside working hours is 0 working time without its start
 * being a copy of anything.
 */
function zeroRecordedWork(visits: StepVisits | StreamedVisitFacts): number {
  if ('zeroRecordedWork' in visits) return visits.zeroRecordedWork;
  return Math.max(0, zeroWorkScan(visits));
}

/**
 * zeroRecordedWork of some visits, telling apart a finished visit with work (−1) from none finished (0), so that
 * contiguous ranges combine (combineZeroWork): the count of finished visits with starts when all took 0 s.
 */
export function zeroWorkScan(visits: StepVisits): number {
  if (visits.shape !== 'activity' || visits.activeUnknown) return 0;
  let finished = 0;
  for (let v = 0; v < visits.count; v++) {
    if (visits.open[v] === 1 || Number.isNaN(visits.workStartedAt[v])) continue;
    if (visits.exitedAt[v] !== visits.workStartedAt[v]) return -1;
    finished++;
  }
  return finished;
}

/** zeroRecordedWork of the ranges' visits from their zeroWorkScan, in any order. */
export function combineZeroWork(scans: readonly number[]): number {
  let finished = 0;
  for (const scan of scans) {
    if (scan < 0) return 0;
    finished += scan;
  }
  return finished;
}

/** What the verdicts read of visits that are not kept (the event store's streamed case chain): counts, not columns. */
export type StreamedVisitFacts = Pick<StepVisits, 'count' | 'shape' | 'steps' | 'activeUnknown' | 'owners'> & { zeroRecordedWork: number };

/** Flow efficiency on estimated starts (partial): also said by `--engine clickhouse`, which estimates them too. */
export const ESTIMATED_STARTS_LIMIT = {
  reason:
    'single-timestamp log: active time rests on start times estimated from enabled time and resource availability (shown with ≈); each start is the earliest the work could have begun, so active time and flow efficiency lean high',
  fix: 'export start and complete events (lifecycle), or a start-time column (--start-timestamp); --no-estimate shows active time as unknown instead',
};

/**
 * What keeps flow efficiency from being said plainly, beyond the step limits: no status classed active (status
 * logs), no start times, or starts that all equal their completions → unsupported; otherwise fewer than
 * MIN_FINISHED_VISITS finished cases and estimated starts → partial.
 */
function flowEfficiencyLimits(visits: StepVisits | StreamedVisitFacts, casesClosed: number, startsEstimated: boolean): Limitation[] {
  // A status log with no status classed active: "0 %" would say nobody ever works; the log just cannot tell.
  if (hasNoActiveStatus(visits)) {
    return [{
      verdict: 'unsupported',
      reason: 'no status in this log is classed active (work in progress), so working time cannot be told from waiting',
      fix: NO_ACTIVE_STATUS_FIX,
      counts: {},
    }];
  }
  if (visits.activeUnknown) {
    return [{ verdict: 'unsupported', reason: NO_STARTS_ACTIVE_REASON, fix: NO_STARTS_FIX, counts: {} }];
  }
  // Estimated starts are not recorded ones: a 0 s estimate is no copy of anything in the export.
  const zeroWork = startsEstimated ? 0 : zeroRecordedWork(visits);
  if (zeroWork > 0) {
    return [{
      verdict: 'unsupported',
      reason: `every recorded start equals its completion (0 s of work on all ${countOf(zeroWork, 'finished visit')}): the export holds instants, not work durations, so "0 % flow efficiency" would be a wrong number`,
      fix: 'map the column that holds when work really began as --start-timestamp, or leave --start-timestamp out so start times are estimated (≈)',
      counts: { zeroWorkVisits: zeroWork },
    }];
  }
  const limits: Limitation[] = [];
  // A ratio over finished cases: on fewer than MIN_FINISHED_VISITS it is one or two tickets' story.
  if (casesClosed > 0 && casesClosed < MIN_FINISHED_VISITS) {
    limits.push({
      verdict: 'partial',
      reason: `only ${countOf(casesClosed, 'finished case')} (at least ${MIN_FINISHED_VISITS} are needed): flow efficiency rests on ${casesClosed === 1 ? 'it' : 'them'} alone`,
      fix: 'analyse a longer period, or pass --as-of later, so that more cases have finished',
      counts: { casesClosed },
    });
  }
  if (startsEstimated) limits.push({ verdict: 'partial', ...ESTIMATED_STARTS_LIMIT, counts: {} });
  return limits;
}

/** Judges every metric for this log (see the module comment); pure. */
export function judgeSufficiency(
  log: Pick<ReconstructionLog, 'shape' | 'caseEvidence' | 'caseCount' | 'resources'>,
  ingest: IngestReport,
  reconstruction: Pick<Reconstruction, 'quality' | 'cases'> & { visits: StepVisits | StreamedVisitFacts },
  options: { startsEstimated?: boolean } = {},
): SufficiencyJson {
  const { quality, visits } = reconstruction;
  const lead = measuredLeadCases(reconstruction);
  const leadCounts = { casesMeasured: lead.measured, casesClosed: lead.closed, casesOpen: lead.open };
  const pages = paginationLimitations(ingest);
  const out = {} as Record<SufficiencyMetric, SufficiencyVerdictJson>;

  if (usesCaseFieldTimes(log)) {
    const fix = ingest.history?.historyFix ?? 'export the status history of each case';
    const noHistory: Limitation = {
      verdict: 'unsupported',
      reason: `the export holds no status history (current state only: ${countOf(log.caseCount, 'case')}), so no step can be timed`,
      fix,
      counts: { cases: log.caseCount },
    };
    const leadLimits: Limitation[] = [...pages];
    if (lead.measured === 0) leadLimits.push({ ...noHistory, reason: 'the export holds no status history and no case gives both a creation time and a resolution or open state' });
    if (quality.closedWithoutResolutionTime > 0 || quality.casesWithoutCreatedTime > 0) {
      leadLimits.push({
        verdict: 'partial',
        reason: [
          quality.closedWithoutResolutionTime > 0 ? `${countOf(quality.closedWithoutResolutionTime, 'closed case')} without a resolution time` : '',
          quality.casesWithoutCreatedTime > 0 ? `${countOf(quality.casesWithoutCreatedTime, 'case')} without a creation time` : '',
        ]
          .filter((part) => part !== '')
          .join(' and ') + ': no lead time (excluded, never 0 s)',
        fix,
        counts: { closedWithoutResolutionTime: quality.closedWithoutResolutionTime, casesWithoutCreatedTime: quality.casesWithoutCreatedTime },
      });
    }
    out.leadTime = combine(leadLimits, 'no status history: lead time from the case fields created → resolved', leadCounts);
    for (const metric of ['cycleTime', 'stepTimes', 'flowEfficiency', 'handoffs', 'rework', 'variants'] as const) out[metric] = combine([noHistory]);
    out.flow = combine([...pages, { ...noHistory, verdict: 'partial', reason: 'weekly arrivals, throughput and WIP come from the case fields; per-step flow is unknown (no status history)' }]);
    return out;
  }

  const caseLimits: Limitation[] = [...pages];
  if (quality.leftCensoredCases > 0) {
    caseLimits.push({
      verdict: 'partial',
      reason:
        `${countOf(quality.leftCensoredCases, 'left-censored case')} excluded ` +
        `(${formatCount(quality.leftCensoredFirstDone)} first seen already done, ${formatCount(quality.leftCensoredCases - quality.leftCensoredFirstDone)} with history starting after creation)`,
      fix: LEFT_CENSORED_FIX,
      counts: { leftCensoredCases: quality.leftCensoredCases, leftCensoredFirstDone: quality.leftCensoredFirstDone },
    });
  }
  const leadLimits = [...caseLimits];
  if (quality.casesWithoutStatus > 0) {
    leadLimits.push({
      verdict: 'partial',
      reason: `${countOf(quality.casesWithoutStatus, 'case')} without status events (only owner changes): neither open nor closed, not measured`,
      fix: 'export the status field history too (e.g. Fivetran ticket_field_history rows with field_name "status")',
      counts: { casesWithoutStatus: quality.casesWithoutStatus },
    });
  }
  if (lead.measured === 0 && log.caseCount > 0) {
    leadLimits.push({ verdict: 'unsupported', reason: 'no case has a measurable lead time', fix: LEFT_CENSORED_FIX, counts: {} });
  }
  // Finished cases whose lead time says nothing about the work (off the calendar's hours, or no time at all).
  const timeless = [offHoursLimit(lead.closedOffHours, lead.closed), instantCaseLimit(lead.closedInstant, lead.closed)].filter((limit) => limit !== null);
  out.leadTime = combine([...leadLimits, ...timeless], null, leadCounts);
  out.cycleTime = combine(lead.measured === 0 && log.caseCount > 0 ? [...leadLimits] : [...caseLimits, ...timeless, ...cycleTimeLimits(visits, lead)]);
  const stepLimits = [...caseLimits];
  if (visits.count === 0 && log.caseCount > 0) stepLimits.push({ verdict: 'unsupported', reason: 'no step visit could be reconstructed', fix: LEFT_CENSORED_FIX, counts: {} });
  out.stepTimes = combine([...stepLimits, ...timeless], null, { visits: visits.count });
  out.flowEfficiency = combine([...stepLimits, ...timeless, ...flowEfficiencyLimits(visits, lead.closed, options.startsEstimated === true)]);
  if (ingest.format === 'wide-csv') {
    // One date per stage and item: a step entered twice, or an item moved back, leaves no trace (docs/sources-extra.md).
    const wideFix = 'export the status history instead (Jira: vsm pull jira, or a search with expand=changelog)';
    out.rework = combine([...stepLimits, { verdict: 'unsupported', reason: 'a wide stage-date CSV holds one date per stage: backward moves and repeat visits are invisible', fix: wideFix, counts: {} }]);
    out.handoffs = log.resources.size > 0
      ? combine(stepLimits)
      : combine([...stepLimits, { verdict: 'unsupported', reason: 'a wide stage-date CSV names no owner per stage', fix: wideFix, counts: {} }]);
    out.variants = combine(stepLimits);
    out.flow = combine(pages);
    return out;
  }
  // No event names an owner: "0 handoffs" would be a confident wrong number — nobody can tell from this log.
  out.handoffs = visits.owners.size > 0
    ? combine(stepLimits)
    : combine([...stepLimits, { verdict: 'unsupported', reason: 'no event in this log names an owner (assignee, agent, team or resource), so handoffs cannot be seen', fix: NO_OWNER_FIX, counts: {} }]);
  out.rework = combine(stepLimits);
  out.variants = combine(stepLimits);
  out.flow = combine(pages);
  return out;
}

/** The verdicts that are not `ok`, grouped by (verdict, reason, fix), for the top of every report and `--strict`. */
export function sufficiencyProblems(sufficiency: SufficiencyJson | undefined): { metrics: string[]; verdict: 'partial' | 'unsupported'; reason: string; fix: string; engineOnly: boolean }[] {
  const groups = new Map<string, { metrics: string[]; verdict: 'partial' | 'unsupported'; reason: string; fix: string; engineOnly: boolean }>();
  for (const metric of SUFFICIENCY_METRICS) {
    const entry = sufficiency?.[metric];
    if (!entry || entry.verdict === 'ok') continue;
    const engineOnly = isEngineLimitOnly(entry);
    const key = `${entry.verdict}\u0000${entry.reason ?? ''}\u0000${entry.fix ?? ''}\u0000${engineOnly}`;
    const group = groups.get(key) ?? { metrics: [], verdict: entry.verdict, reason: entry.reason ?? '', fix: entry.fix ?? '', engineOnly };
    group.metrics.push(METRIC_LABELS[metric]);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => RANK[b.verdict] - RANK[a.verdict]);
}
