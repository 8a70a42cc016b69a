import type { EventLog } from '../../src/model/event-log.js';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';
import { parseConfig, type VsmConfig } from '../../src/model/config-parse.js';
import { defaultAsOfMs } from '../../src/traces/censoring.js';
import { buildStepMap } from '../../src/traces/step-map.js';
import { analyzeWaits, type WaitAnalysis } from '../../src/vsm/wait-analysis.js';
import { MINUTE_MS, T0 } from '../traces/build-log.js';

/** [case, activity, resource, start minute (null: single timestamp), end minute] — minutes after Mon 2024-01-01 00:00 UTC. */
export type InstanceRow = [string, string, string | null, number | null, number];

export function instanceLog(rows: InstanceRow[]): EventLog {
  const builder = new EventLogBuilder('activity');
  let sourceRow = 1;
  for (const [caseId, activity, resource, startMin, endMin] of rows) {
    const resourceName = resource ?? undefined;
    if (startMin !== null) builder.push({ caseId, activity, resource: resourceName, timestampMs: T0 + startMin * MINUTE_MS, lifecycle: 'start', sourceRow: sourceRow++ });
    builder.push({ caseId, activity, resource: resourceName, timestampMs: T0 + endMin * MINUTE_MS, lifecycle: startMin === null ? 'complete' : 'complete', sourceRow: sourceRow++ });
  }
  return builder.build();
}

export function runWaits(rows: InstanceRow[], config?: object, estimate = true): WaitAnalysis {
  const log = instanceLog(rows);
  const parsed: VsmConfig | undefined = config ? parseConfig(JSON.stringify(config), 'test.json') : undefined;
  return analyzeWaits(log, { config: parsed, map: buildStepMap(log, parsed), asOfMs: defaultAsOfMs(log), estimate, timeZone: 'UTC' });
}

export interface InstanceMinutes {
  enabled: number;
  start: number;
  end: number;
  estimated: boolean;
  wait: number;
  batching: number;
  contention: number;
  prioritization: number;
  unavailability: number;
  extraneous: number;
  batchType: number;
}

/** The instance of `caseId` / `activity` (the first one), times in minutes after T0. */
export function instanceOf(waits: WaitAnalysis, caseId: string, activity: string): InstanceMinutes {
  if (!waits.table) throw new Error('analyzeWaits returned no activity table');
  const { log, instances, enabledMs, startMs, estimated, causes, batches } = waits.table;
  const m = (ms: number) => (ms - T0) / MINUTE_MS;
  const d = (ms: number) => ms / MINUTE_MS;
  for (let k = 0; k < instances.count; k++) {
    if (log.caseIds.valueOf(instances.caseCode[k]) !== caseId || log.activities.valueOf(instances.activity[k]) !== activity) continue;
    return {
      enabled: m(enabledMs[k]),
      start: m(startMs[k]),
      end: m(instances.endMs[k]),
      estimated: estimated[k] === 1,
      wait: d(causes.waitMs[k]),
      batching: d(causes.causeMs.batching[k]),
      contention: d(causes.causeMs.contention[k]),
      prioritization: d(causes.causeMs.prioritization[k]),
      unavailability: d(causes.causeMs.unavailability[k]),
      extraneous: d(causes.causeMs.extraneous[k]),
      batchType: batches.batchId[k] >= 0 ? batches.typeOfBatch[batches.batchId[k]] : 0,
    };
  }
  throw new Error(`no instance ${caseId}/${activity}`);
}
