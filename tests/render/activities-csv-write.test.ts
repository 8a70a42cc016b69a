/**
 * activities.csv written in pieces (writeActivitiesCsv, for `vsm analyze`) is byte for byte the one-string rendering
 * (renderActivitiesCsv): across piece boundaries, with unknown starts, batches, a missing resource and no instance.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderActivitiesCsv, writeActivitiesCsv } from '../../src/render/activities-csv.js';
import { Dictionary } from '../../src/model/dictionary.js';
import type { ActivityTable } from '../../src/vsm/wait-analysis.js';

const T0 = Date.UTC(2024, 0, 1);

function tableOf(count: number): ActivityTable {
  const caseIds = new Dictionary();
  const activities = new Dictionary();
  const resources = new Dictionary();
  for (let c = 0; c < 1000; c++) caseIds.intern(c % 7 === 0 ? `=C${c}` : `C-${c}`);
  for (const name of ['Intake', 'Review, final', 'Fix "it"']) activities.intern(name);
  for (const name of ['ana', 'bo']) resources.intern(name);
  const column = (value: (k: number) => number) => Float64Array.from({ length: count }, (_, k) => value(k));
  const startMs = column((k) => (k % 11 === 0 ? NaN : T0 + k * 60_000));
  return {
    log: { caseIds, activities, resources },
    instances: {
      count,
      caseCode: Int32Array.from({ length: count }, (_, k) => k % 1000),
      activity: Int32Array.from({ length: count }, (_, k) => k % 3),
      resource: Int32Array.from({ length: count }, (_, k) => (k % 5 === 0 ? -1 : k % 2)),
      startMs,
      endMs: column((k) => T0 + k * 60_000 + 30_000),
      firstEvent: Int32Array.from({ length: count }, (_, k) => 2 * k),
      caseStart: new Int32Array(1001),
      withStart: count,
    },
    enabledMs: column((k) => T0 + k * 60_000 - 5_000),
    startMs,
    estimated: Uint8Array.from({ length: count }, (_, k) => k % 3 === 0 ? 1 : 0),
    causes: {
      waitMs: column(() => 5_000),
      causeMs: { batching: column((k) => k % 2), prioritization: column(() => 1), contention: column(() => 2), unavailability: column(() => 0), extraneous: column((k) => 4_997 - (k % 2)) },
      scanCapped: 0,
    },
    batches: { batchId: Int32Array.from({ length: count }, (_, k) => (k % 4 === 0 ? k / 4 : -1)), typeOfBatch: Uint8Array.from({ length: Math.ceil(count / 4) }, (_, b) => 1 + (b % 2 === 0 ? 1 : 0)), readyMsOfBatch: new Float64Array(Math.ceil(count / 4)).fill(NaN), parallelCount: 0, sequentialCount: 0 },
  };
}

describe('writeActivitiesCsv', () => {
  it.each([0, 1, 10_000, 25_001])('writes the same bytes as renderActivitiesCsv for %i instances', (count) => {
    const table = tableOf(count);
    const path = join(mkdtempSync(join(tmpdir(), 'vsm-activities-')), 'activities.csv');
    writeActivitiesCsv(path, table);
    expect(readFileSync(path, 'utf8')).toBe(renderActivitiesCsv(table));
  });
});
