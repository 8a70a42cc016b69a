import { readFileSync } from 'node:fs';
import { ReportSchema, type ReportJson, type StepJson } from '../../src/contracts/report-schema.js';

/** Real report of the pipeline on the Jira sample (status log, 6 steps, 8 open cases, no handoffs). */
export function jiraReport(): ReportJson {
  return ReportSchema.parse(JSON.parse(readFileSync('fixtures/render/jira-report.json', 'utf8')));
}

/** The Jira report with every name replaced by an attack string (see fixtures/render/hostile-names.json). */
export function hostileReport(): ReportJson {
  return ReportSchema.parse(JSON.parse(readFileSync('fixtures/render/hostile-names.json', 'utf8')));
}

export const HOUR_MS = 3_600_000;

/**
 * A synthetic report with `stepCount` steps (for layout and speed): owners rotate over 7 teams, every 7th step
 * is necessary non-value-adding and every 11th waste; rework loops within a row, across rows and a self-loop.
 * Numbers are arbitrary but valid (median ≤ p85 ≤ p95); render must only lay them out.
 */
export function syntheticReport(stepCount: number, weekCount = 20): ReportJson {
  const base = jiraReport();
  const template = base.steps[1];
  const stepName = (index: number): string => `Step ${String(index + 1).padStart(2, '0')} ${index % 3 === 0 ? 'review and approve' : 'work'}`;
  const steps: StepJson[] = Array.from({ length: stepCount }, (_, index) => {
    const hours = (index % 5) + 1;
    const dist = { ...template.activeMs, n: 100 + index, median: hours * HOUR_MS, p85: 2 * hours * HOUR_MS, p95: 3 * hours * HOUR_MS, sum: 100 * hours * HOUR_MS, thin: false };
    const queue = { ...dist, median: (index + 1) * 2 * HOUR_MS, p85: (index + 1) * 4 * HOUR_MS, p95: (index + 1) * 5 * HOUR_MS };
    return {
      ...template,
      name: stepName(index),
      order: index,
      members: [{ name: stepName(index), statusClass: 'active', origin: 'config' }],
      valueClass: index % 7 === 6 ? 'necessary' : index % 11 === 10 ? 'waste' : 'value-adding',
      owner: { name: `Team ${String.fromCharCode(65 + (Math.floor(index / 2) % 7))}`, share: 0.6 + (index % 4) / 10 },
      system: index % 2 === 0 ? 'Jira' : 'Zendesk',
      visits: 1000 + index,
      cases: 900,
      reworkCases: index % 4 === 0 ? 40 : 0,
      activeMs: dist,
      queueMs: queue,
      waitingMs: { ...dist, median: 0 },
      blockedMs: { ...dist, median: 0 },
      elapsedMs: dist,
      delayMs: queue,
      activeUnknown: false,
      totalDelayMs: 900 * (index + 1) * 2 * HOUR_MS,
      totalActiveMs: 900 * hours * HOUR_MS,
      thin: false,
    };
  });
  const loop = (fromIndex: number, toIndex: number, cases: number): ReportJson['rework']['loops'][number] => ({
    path: fromIndex === toIndex ? [stepName(toIndex), stepName(toIndex)] : [stepName(toIndex), stepName(fromIndex), stepName(toIndex)],
    from: stepName(fromIndex),
    to: stepName(toIndex),
    cases,
    occurrences: cases + 3,
    addedMs: { ...template.activeMs, n: cases, median: 30 * HOUR_MS, p85: 40 * HOUR_MS, p95: 50 * HOUR_MS, sum: cases * 30 * HOUR_MS, thin: false },
  });
  const loops = stepCount > 12 ? [loop(3, 1, 300), loop(12, 2, 200), loop(7, 7, 150), loop(stepCount - 1, 5, 90), loop(9, 8, 80), loop(20, 19, 10)] : [loop(2, 1, 30)];
  const firstWeekMs = Date.parse(base.flow.weeks[0].weekStart);
  const weeks = Array.from({ length: weekCount }, (_, index) => ({
    weekStart: new Date(firstWeekMs + index * 7 * 24 * HOUR_MS).toISOString().slice(0, 10),
    arrivals: 20 + (index % 7),
    throughput: 18 + (index % 5),
    wip: 30 + (index % 11),
  }));
  return ReportSchema.parse({
    ...base,
    log: { ...base.log, name: `synthetic-${stepCount}` },
    steps,
    rework: { ...base.rework, loops },
    dfg: {
      ...base.dfg,
      nodes: steps.map((step) => ({ name: step.name, count: step.visits })),
      edges: steps.slice(1).map((step, index) => ({ from: steps[index].name, to: step.name, count: 900 - index, meanMs: HOUR_MS, medianMs: HOUR_MS })),
    },
    flow: {
      ...base.flow,
      weeks,
      stepWeeks: steps.flatMap((step, index) => weeks.map((week, weekIndex) => ({ step: step.name, weekStart: week.weekStart, entered: 5, exited: 5, wip: (index + weekIndex) % 9 }))),
    },
    findings: {
      ...base.findings,
      biggestDelay: base.findings.biggestDelay ? { ...base.findings.biggestDelay, subject: { step: steps[stepCount - 1].name } } : null,
      mostCommonReworkLoop: base.findings.mostCommonReworkLoop ? { ...base.findings.mostCommonReworkLoop, subject: { from: loops[0].from, to: loops[0].to, path: loops[0].path } } : null,
      handoffToSimplify: null,
    },
  });
}
