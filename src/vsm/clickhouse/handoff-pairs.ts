/**
 * The owner pairs the handoff matrix lists, chosen as metrics/handoffs.ts chooses them: the top `maxPairs` by count,
 * plus any pair in the top `maxPairs` by count × median wait, ordered by count then names. The counts and medians
 * are exact (SQL), so the same pairs are kept; only those go through the bootstrap of their wait median in Node.
 * Without waits (not computed by this engine) the cost ranking is unknown: every pair is kept.
 */
/** As metrics/handoffs.ts `maxPairs`. */
export const HANDOFF_MATRIX_PAIRS = 100;

interface Pair {
  from: string;
  to: string;
  count: number;
  /** The exact median of its waits is all the choice needs; null when the waits are not computed. */
  wait: { median: number | null } | null;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function keptHandoffPairs<T extends Pair>(pairs: readonly T[], maxPairs = HANDOFF_MATRIX_PAIRS): T[] {
  const byName = (a: T, b: T): number => compareText(a.from, b.from) || compareText(a.to, b.to);
  const byCount = (a: T, b: T): number => b.count - a.count || byName(a, b);
  if (pairs.length <= maxPairs || pairs.some((pair) => pair.wait === null)) return [...pairs].sort(byCount);
  const keep = new Set<T>([...pairs].sort(byCount).slice(0, maxPairs));
  const cost = (pair: T): number => pair.count * (pair.wait?.median ?? 0);
  for (const pair of [...pairs].sort((a, b) => cost(b) - cost(a) || byName(a, b)).slice(0, maxPairs)) keep.add(pair);
  return [...keep].sort(byCount);
}
