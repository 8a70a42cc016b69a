/**
 * activities.csv written in pieces (writeActivitiesCsv, for `vsm analyze`) is byte for byte the one-string rendering
 * (renderActivitiesCsv): across piece boundaries, with unknown starts, batches, a missing resource and no instance.
 * And both are the table cell by cell through csvCell and toISOString (the writer's shortcuts change no byte): names
 * that need quoting or a formula guard, instants before year 0 and after 9999, cause values that are not whole.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_CSV_COLUMNS, renderActivitiesCsv, writeActivitiesCsv } from '../../src/render/activities-csv.js';
import { csvCell } from '../../src/render/escape.js';
import { BATCH_TYPE_NAMES } from '../../src/metrics/batches.js';
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

/** The file as the cells say it, one csvCell each (the reference the writer's shortcuts are checked against). */
function referenceCsv(table: ActivityTable): string {
  const { log, instances, enabledMs, startMs, estimated, causes, batches } = table;
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
  const lines = [ACTIVITY_CSV_COLUMNS.map(csvCell).join(',')];
  for (let k = 0; k < instances.count; k++) {
    const known = !Number.isNaN(startMs[k]);
    const cause = (column: Float64Array) => (known ? column[k] : null);
    const resource = instances.resource[k];
    const batch = batches.batchId[k];
    const cells = [
      log.caseIds.valueOf(instances.caseCode[k]) ?? null,
      log.activities.valueOf(instances.activity[k]) ?? null,
      resource < 0 ? null : (log.resources.valueOf(resource) ?? null),
      iso(enabledMs[k]),
      iso(startMs[k]),
      known ? estimated[k] === 1 : null,
      iso(instances.endMs[k]),
      cause(causes.waitMs),
      cause(causes.causeMs.batching),
      cause(causes.causeMs.prioritization),
      cause(causes.causeMs.contention),
      cause(causes.causeMs.unavailability),
      cause(causes.causeMs.extraneous),
      batch >= 0 ? batch : null,
      batch >= 0 ? BATCH_TYPE_NAMES[batches.typeOfBatch[batch]] : null,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('renderActivitiesCsv', () => {
  it.each([0, 1, 10_000])('is the table cell by cell through csvCell and toISOString (%i instances)', (count) => {
    expect(renderActivitiesCsv(tableOf(count))).toBe(referenceCsv(tableOf(count)));
  });

  it('quotes and guards names, and writes extended years, NaN causes and fractions as csvCell does', () => {
    const table = tableOf(40);
    // Names past the writer's short-cell copy (32 bytes), with multi-byte characters, and one wider than its 1 MB pieces.
    for (const name of ['-minus', '+plus', '@at', 'tab\tname', 'line\nend', 'quo"te', 'Überprüfung der Rechnung durch die Buchhaltung', 'x'.repeat(1_500_000)]) {
      table.log.activities.intern(name);
      table.log.resources.intern(name);
    }
    const { instances, enabledMs, startMs, causes } = table;
    for (let k = 0; k < instances.count; k++) {
      instances.activity[k] = k % table.log.activities.size;
      instances.resource[k] = k % 7 === 0 ? -1 : k % table.log.resources.size;
    }
    // Before year 0, after 9999, the edges of Date, −0 and a fraction of a ms; a cause value that is not whole, and NaN.
    const odd = [-62_167_219_200_001, 253_402_300_800_000, 8.64e15, -8.64e15, -0, 1.5];
    odd.forEach((ms, i) => {
      enabledMs[i] = ms;
      instances.endMs[i + 6] = ms;
      if (!Number.isNaN(startMs[i + 12])) startMs[i + 12] = ms;
    });
    causes.causeMs.contention[1] = 0.25;
    causes.causeMs.batching[2] = Number.NaN;
    // Signs and sizes String writes in its own ways: −0 as 0, a negative, 2⁵³ and past it, 1e21 in exponent form.
    [-0, -12, 2 ** 53, 2 ** 53 + 2, 1e21, 123_456_789_012].forEach((value, i) => {
      causes.causeMs.prioritization[i + 3] = value;
    });
    expect(renderActivitiesCsv(table)).toBe(referenceCsv(table));
    expect(renderActivitiesCsv(table)).toContain("'-000001-12-31T23:59:59.999Z");
    expect(renderActivitiesCsv(table)).toContain('"line\nend"');
  });
});
