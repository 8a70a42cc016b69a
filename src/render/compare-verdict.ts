import type { CompareJson } from '../contracts/compare-schema.js';
import { formatCount as count } from '../model/units.js';

/**
 * The one-line verdict every compare output leads with. "No significant change" is only said when something was
 * tested: a period that holds no case (a mistyped --periods, a quarter outside the log) or two periods too thin for
 * any test compared nothing, and saying "no change" there would be read as "nothing changed".
 * `kind`: 'nothing-compared' and 'nothing-tested' are warnings, 'no-change' is quiet, 'changes' is highlighted.
 */
export function compareVerdict(compare: CompareJson): { kind: 'nothing-compared' | 'nothing-tested' | 'no-change' | 'changes'; text: string } {
  const empty = compare.periods.filter((period) => period.cases === 0);
  if (empty.length > 0) {
    const where = compare.by === 'file' ? 'the file' : compare.by === 'completed' ? 'cases by completion time' : 'cases by trigger time';
    const names = empty.map((period) => period.label).join(' and ');
    const fix = compare.by === 'file' ? 'check that the file is the log meant (vsm inspect reads it)' : "check --periods against the log's time range (vsm inspect prints it)";
    return { kind: 'nothing-compared', text: `Nothing compared: ${names} ${empty.length === 1 ? 'holds' : 'hold'} no case (${where}); ${fix}.` };
  }
  if (compare.summary.tested === 0) {
    return {
      kind: 'nothing-tested',
      text: `Nothing tested: no metric has 30 values in both periods, so no change can be called either way; the ${count(compare.summary.thin)} thin metrics are listed, not tested.`,
    };
  }
  const significant = compare.metrics.filter((metric) => metric.significant).length;
  if (significant === 0) return { kind: 'no-change', text: `No significant change: none of the ${count(compare.summary.tested)} tested metrics moved beyond chance.` };
  return { kind: 'changes', text: `${count(significant)} significant change${significant === 1 ? '' : 's'} of ${count(compare.summary.tested)} tested metrics:` };
}
