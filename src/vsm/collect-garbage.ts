/**
 * A full garbage collection on demand, for the points of `vsm analyze` where it lowers the peak memory: after the read
 * (cli/commands/analyze.ts: the read's dead columns and chunks), between the wait analysis and the visit
 * reconstruction (analyze-visits.ts), and once the log is dead (cli/commands/analyze.ts). The wait analysis leaves
 * ≈ 150–200 MB of dead typed arrays at 5 M events (its instance table, resource order, batches, sweep columns); V8 frees their backing
 * stores only at its next full collection, which it starts when the reconstruction has allocated its own ≈ 200 MB,
 * and finishes later the busier the machine is — the peak RSS then varied by 100 MB from run to run (issue 14, peak
 * memory; docs/benchmarks.md, h23-mem). Collecting there costs a few ms (a small JS heap; the arrays are outside it).
 * Node exposes `gc` only under --expose-gc: model/runtime.ts sets the flag at run time and takes `gc` from a new context.
 */
import { exposedGc } from '../model/runtime.js';

/**
 * Runs a full collection now; false when the runtime offers none (nothing happens then).
 * @example collectGarbage() // true on Node
 */
export function collectGarbage(): boolean {
  const collector = exposedGc();
  if (collector === null) return false;
  collector();
  return true;
}
