import type { SimulateJson } from '../contracts/simulate-schema.js';

/**
 * How simulate's runs were drawn, for every output: "10,000 Monte Carlo runs of the closed cases (seed 42)" or, above
 * the size where resampling is replaced by its normal approximation, "10,000 runs from the normal approximation of
 * resampling the closed cases (seed 42)".
 * @example runsLabel({ runs: 10000, method: 'monte-carlo', seed: 42 }) // '10,000 Monte Carlo runs of the closed cases (seed 42)'
 */
export function runsLabel(simulate: Pick<SimulateJson, 'runs' | 'method' | 'seed'>): string {
  const runs = simulate.runs.toLocaleString('en-US');
  return simulate.method === 'monte-carlo'
    ? `${runs} Monte Carlo runs of the closed cases (seed ${simulate.seed})`
    : `${runs} runs from the normal approximation of resampling the closed cases (seed ${simulate.seed})`;
}
