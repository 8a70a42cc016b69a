/**
 * A step's identity in report.json as the in-memory engine gives it (traces/step-map.ts, metrics/timing.ts): its
 * class, members, value class, owner and system — for a config step from its resolved members (config-sql.ts), for
 * any other step from its one status / activity (config class, then the source's category and the name defaults).
 */
import type { StepJson } from '../../contracts/report-schema.js';
import type { VsmConfig } from '../../model/config-schema.js';
import { defaultStatusClass } from '../../model/status-class.js';
import { configuredClass } from '../../traces/step-map.js';
import type { ClickHouseAnalysis } from './analysis.js';

export type StepIdentity = Pick<StepJson, 'class' | 'members' | 'valueClass' | 'system' | 'owner'>;

/**
 * The identity of step `name`; `sums` (queue, active, waiting, blocked ms) decides the class of a mixed config step,
 * `measured` is the known owner of most of its visits, or the configured owner with its share (stepOwnersOf pins it).
 */
export function stepIdentity(name: string, analysis: ClickHouseAnalysis, config: VsmConfig | undefined, sums: readonly number[], measured: StepJson['owner']): StepIdentity {
  const configured = analysis.configSteps.find((step) => step.name === name);
  if (configured !== undefined) {
    const classes: StepJson['class'][] = ['queue', 'active', 'waiting', 'blocked'];
    const best = sums.reduce((top, value, k) => (value > sums[top] ? k : top), 0);
    return {
      class: configured.statusClass ?? classes[best],
      members: configured.members,
      valueClass: configured.valueClass,
      // The configured owner with its measured share (source-facts.ts pins it); a step with no visit shows share 0.
      owner: configured.owner === null ? measured : { name: configured.owner, share: measured?.share ?? 0 },
      system: configured.system,
    };
  }
  const category = analysis.statuses.find((status) => status.name === name)?.category;
  const override = configuredClass(config, name);
  const classified =
    analysis.log.shape === 'status'
      ? override
        ? { statusClass: override, origin: 'config' }
        : defaultStatusClass(name, category || undefined)
      : { statusClass: override ?? 'active', origin: override ? 'config' : 'activity' };
  return {
    class: classified.statusClass,
    members: [{ name, statusClass: classified.statusClass, origin: classified.origin }],
    valueClass: 'value-adding',
    owner: measured,
    system: null,
  };
}
