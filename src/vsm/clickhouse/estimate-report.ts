/**
 * How report.json marks estimated starts under `--engine clickhouse` (estimate-starts.ts), as the in-memory engine
 * marks them (analyze.ts, sufficiency.ts, wait-steps.ts): the same note, the same partial flow-efficiency verdict,
 * `startEstimated` on the flow efficiency and on every step with a visit, and the count in dataQuality. Wait causes
 * (report.json `waitCauses`) stay absent: they are not pushed down.
 */
import { estimatedStartsNote } from '../analyze.js';
import { clampedIntervalsNote, clampedIntervalsProblem } from '../../traces/reconstruct.js';
import { ESTIMATED_STARTS_LIMIT } from '../sufficiency.js';
import type { ClickHouseAnalysis } from './analysis.js';

/** The flow-efficiency limit of estimated starts (a data limit: the log has no start times), or none. */
export function estimatedStartsLimits(analysis: ClickHouseAnalysis): { verdict: 'partial'; reason: string; fix: string; engine: false }[] {
  return analysis.startEstimates === null ? [] : [{ verdict: 'partial', ...ESTIMATED_STARTS_LIMIT, engine: false }];
}

/** The notes on estimated starts: as in memory, plus how many were repaired (in memory in `waitCauses`, absent here). */
export function estimatedStartsNotes(analysis: ClickHouseAnalysis): string[] {
  const facts = analysis.startEstimates;
  if (facts === null) return [];
  const pairs = facts.concurrentPairs.length === 0 ? 'none' : facts.concurrentPairs.map(([a, b]) => `${a} ∥ ${b}`).join(', ');
  return [
    ...(facts.clamped > 0 ? [clampedIntervalsNote(facts.clamped)] : []),
    estimatedStartsNote(facts.estimated),
    `start estimation inside ClickHouse: ${facts.repaired} estimates repaired as outliers (set to their activity's median duration); concurrent activities (heuristics oracle): ${pairs}; wait causes are not computed by --engine clickhouse`,
  ];
}

/** What `--strict` fails on with estimated starts, as in memory (cli/usable-events.ts): clamped negative intervals. */
export function estimatedStartsProblems(analysis: ClickHouseAnalysis): string[] {
  const clamped = analysis.startEstimates?.clamped ?? 0;
  return clamped > 0 ? [clampedIntervalsProblem(clamped)] : [];
}
