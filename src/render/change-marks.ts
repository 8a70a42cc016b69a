import type { FormatDuration } from './duration.js';
import type { StepJson } from '../contracts/report-schema.js';
import type { SimulateJson } from '../contracts/simulate-schema.js';

function signed(deltaMs: number, fmt: FormatDuration): string {
  return `${deltaMs < 0 ? '−' : '+'}${fmt(Math.abs(deltaMs))}`;
}

/**
 * What changed at each of `simulate.changedSteps` that is on the future map, as the short label the map draws
 * on the box ("Δ −1.2 d delay · owner → Dev"). Steps the change removes are not on the future map; see `removedSteps`.
 */
export function changedStepLabels(currentSteps: readonly StepJson[], simulate: SimulateJson, fmt: FormatDuration): Map<string, string> {
  const current = new Map(currentSteps.map((step) => [step.name, step]));
  const labels = new Map<string, string>();
  for (const name of simulate.changedSteps) {
    const future = simulate.futureSteps.find((step) => step.name === name);
    if (future === undefined) continue;
    const before = current.get(name);
    if (before === undefined) {
      const replaced = removedSteps(simulate);
      labels.set(name, replaced.length > 0 ? `Δ new: replaces ${replaced.join(' + ')}` : 'Δ new step');
      continue;
    }
    const parts: string[] = [];
    const delayDelta = (future.delayMs.median ?? 0) - (before.delayMs.median ?? 0);
    if (delayDelta !== 0 && fmt(Math.abs(delayDelta)) !== fmt(0)) parts.push(`${signed(delayDelta, fmt)} delay`);
    const activeDelta = future.activeUnknown || before.activeUnknown ? 0 : (future.activeMs.median ?? 0) - (before.activeMs.median ?? 0);
    if (activeDelta !== 0 && fmt(Math.abs(activeDelta)) !== fmt(0)) parts.push(`${signed(activeDelta, fmt)} active`);
    if (future.visits !== before.visits) parts.push(`visits ${before.visits}→${future.visits}`);
    if ((future.owner?.name ?? null) !== (before.owner?.name ?? null)) parts.push(`owner → ${future.owner?.name ?? 'unknown'}`);
    labels.set(name, `Δ ${parts.length > 0 ? parts.join(' · ') : 'changed'}`);
  }
  return labels;
}

/** Changed steps that no longer exist after the change (merged into another, or removed). */
export function removedSteps(simulate: SimulateJson): string[] {
  const future = new Set(simulate.futureSteps.map((step) => step.name));
  return simulate.changedSteps.filter((name) => !future.has(name));
}
