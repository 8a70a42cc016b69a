/**
 * The future-state report the map renderer draws beside the current one: the current report with its steps
 * replaced by the simulated future steps and its headline numbers (lead-time median / p85 / p95, flow
 * efficiency) by the simulated ones. The four answers are cleared (they describe the current state), and only
 * rework loops whose steps still exist on the future map are kept.
 */
import type { ReportJson } from '../contracts/report-schema.js';
import type { SimulateJson } from '../contracts/simulate-schema.js';

export function futureReport(current: ReportJson, simulation: SimulateJson): ReportJson {
  const names = new Set(simulation.futureSteps.map((step) => step.name));
  const after = simulation.after.leadTimeMs;
  return {
    ...current,
    log: { ...current.log, name: `${current.log.name} — simulated future state` },
    steps: simulation.futureSteps,
    leadTimeMs: after ? { ...current.leadTimeMs, median: after.median.estimate, p85: after.p85.estimate, p95: after.p95.estimate, ciLow: after.median.ciLow, ciHigh: after.median.ciHigh } : current.leadTimeMs,
    flowEfficiency: { ...current.flowEfficiency, pooled: simulation.after.flowEfficiency?.estimate ?? current.flowEfficiency.pooled },
    rework: { ...current.rework, loops: current.rework.loops.filter((loop) => loop.path.every((name) => names.has(name) || name.startsWith('…'))) },
    findings: { biggestDelay: null, mostCommonReworkLoop: null, handoffToSimplify: null, futureStateChange: null },
  };
}
