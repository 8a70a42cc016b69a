/** Puts each step's wait causes and its "estimated" label on report.json's steps (schema 1.1). */
import type { TicketWaitCauses } from '../metrics/ticket-wait-causes.js';
import { WAIT_CAUSES } from '../metrics/wait-causes.js';
import type { StepVisits } from '../traces/step-visits.js';
import type { StepJson, WaitCausesMsJson } from '../contracts/report-schema.js';
import type { WaitAnalysis } from './wait-analysis.js';

export function attachWaitCauses(steps: StepJson[], waits: Pick<WaitAnalysis, 'stepCauses'>): void {
  for (const step of steps) {
    const causes = waits.stepCauses.get(step.name);
    if (!causes) continue;
    if (causes.estimated > 0) step.startEstimated = true;
    const shares = { ...causes.byCauseMs };
    for (const cause of WAIT_CAUSES) shares[cause] = causes.totalMs > 0 ? causes.byCauseMs[cause] / causes.totalMs : 0;
    step.waitCausesMs = { totalMs: causes.totalMs, byCauseMs: { ...causes.byCauseMs }, shares: shares satisfies WaitCausesMsJson, instances: causes.instances };
  }
}

/** Status (ticket) logs: each step's visits split into the ticket causes (prioritization is not measurable: 0). */
export function attachTicketWaitCauses(steps: StepJson[], visits: StepVisits, causes: TicketWaitCauses): void {
  visits.steps.forEach((definition, code) => {
    const step = steps.find((candidate) => candidate.name === definition.name);
    const entry = causes.byStep[code];
    if (!step || entry.visits + entry.unsplitVisits === 0) return;
    const byCauseMs = { ...entry.byCauseMs, prioritization: 0 };
    const shares = Object.fromEntries(Object.entries(byCauseMs).map(([cause, ms]) => [cause, entry.totalMs > 0 ? ms / entry.totalMs : 0])) as typeof byCauseMs;
    step.waitCausesMs = { totalMs: entry.totalMs, byCauseMs, shares, instances: entry.visits, unsplitVisits: entry.unsplitVisits };
  });
}
