/**
 * Every log in ../shared/data against PM4Py's `all_events` view (expected/README.md): case, event and variant counts,
 * the top-10 variants with their counts, every DFG edge count, start and end activities — exactly.
 *
 * We read each log with the column mapping the oracle used (`source.column_mapping`) and compute at the event
 * level (`computeVariants(log)`, `computeDfg(log)`: every event, as PM4Py's default does not filter lifecycle —
 * trap 4). Both sort by (case, timestamp, file row), so timestamp ties resolve alike (trap 9).
 * Documented difference: on the two interval logs PM4Py's DFG re-sorts events by `start_timestamp` while its
 * variants keep completion order (trap 9); our EventLog is in completion order, so there we compare variants,
 * start and end activities but not DFG edges (the interval DFG is checked in metrics/dfg and traces tests).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import type { ColumnMapping, ReadOptions } from '../../src/ingest/read-options.js';
import { computeDfg } from '../../src/metrics/dfg.js';
import { computeVariants } from '../../src/metrics/variants.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const DATA = `${SHARED_DIR}/data/`;
const EXPECTED = join(DATA, 'expected');

interface Oracle {
  source: { column_mapping: Record<string, string> };
  lifecycle_mode: string;
  views: {
    all_events: {
      case_count: number;
      event_count: number;
      variant_count: number;
      top_variants: { count: number; activities: string[] }[];
      dfg: { from: string; to: string; count: number }[];
      start_activities: Record<string, number>;
      end_activities: Record<string, number>;
    };
  };
}

function optionsFor(file: string, oracle: Oracle): ReadOptions {
  if (!/\.csv(\.gz)?$/.test(file)) return {};
  const m = oracle.source.column_mapping;
  const mapping: ColumnMapping = { case: m.case, activity: m.activity, timestamp: m.timestamp, resource: m.resource, lifecycle: m.lifecycle };
  if (m.start_timestamp) mapping.startTimestamp = m.start_timestamp;
  // PM4Py keeps exact duplicate rows (we drop them by default): keep them here to compare like with like.
  return { mapping, duplicateRows: 'keep' };
}

const files = hasShared(EXPECTED) ? readdirSync(EXPECTED).filter((name) => name.endsWith('.pm4py.json')).sort() : [];

describe.skipIf(files.length === 0)('PM4Py all_events view on every shared log', () => {
  for (const expectedFile of files) {
    const logName = expectedFile.replace(/\.pm4py\.json$/, '');
    const logFile = [logName, `${logName}.gz`].map((name) => join(DATA, name)).find((path) => existsSync(path));
    it.skipIf(!logFile)(logName, async () => {
      const oracle = JSON.parse(readFileSync(join(EXPECTED, expectedFile), 'utf8')) as Oracle;
      const view = oracle.views.all_events;
      const { log } = await readLog(logFile as string, optionsFor(logFile as string, oracle));
      expect(log.caseCount).toBe(view.case_count);
      expect(log.eventCount).toBe(view.event_count);
      const variants = computeVariants(log, { top: 10 });
      expect(variants.total).toBe(view.variant_count);
      expect(variants.top.map((variant) => [variant.count, variant.activities])).toEqual(view.top_variants.map((variant) => [variant.count, variant.activities]));
      const dfg = computeDfg(log);
      expect(dfg.startActivities).toEqual(view.start_activities);
      expect(dfg.endActivities).toEqual(view.end_activities);
      if (oracle.lifecycle_mode !== 'interval') {
        const ours = Object.fromEntries(dfg.edges.map((edge) => [`${edge.from} → ${edge.to}`, edge.count]));
        const theirs = Object.fromEntries(view.dfg.map((edge) => [`${edge.from} → ${edge.to}`, edge.count]));
        expect(ours).toEqual(theirs);
      }
    });
  }
});
