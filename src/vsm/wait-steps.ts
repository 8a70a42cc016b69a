/** Puts each step's wait causes and its "estimated" label on report.json's steps (schema 1.1). */
import { WAIT_CAUSES } from '../metrics/wait-causes.js';
import type { StepJson, WaitCausesMsJson } from './report-schema.js';
import type { WaitAnalysis } from './wait-analysis.js';

export function attachWaitCauses(steps: StepJson[], waits: WaitAnalysis): void {
  for (const step of steps) {
    const causes = waits.stepCauses.get(step.name);
    if (!causes) continue;
    if (causes.estimated > 0) step.startEstimated = true;
    const shares = { ...causes.byCauseMs };
    for (const cause of WAIT_CAUSES) shares[cause] = causes.totalMs > 0 ? causes.byCauseMs[cause] / causes.totalMs : 0;
    step.waitCausesMs = { totalMs: causes.totalMs, byCauseMs: { ...causes.byCauseMs }, shares: shares satisfies WaitCausesMsJson, instances: causes.instances };
  }
}
