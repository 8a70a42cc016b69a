import { describe, expect, it } from 'vitest';
import { concurrentFromFollows, discoverConcurrency } from '../../../src/traces/concurrency-oracle.js';
import type { ActivityInstances } from '../../../src/traces/activity-instances.js';
import { exactFloat } from '../../../src/vsm/clickhouse/estimate-sql.js';
import { estimatedVisits, withEstimationMemoryFix } from '../../../src/vsm/clickhouse/estimate-starts.js';
import { type ClickHouseHttp, rejectionFix } from '../../../src/vsm/clickhouse/http-client.js';
import { sql } from '../../../src/vsm/clickhouse/sql.js';
import { VsmError } from '../../../src/errors.js';

describe('ClickHouse start estimation: SQL pieces', () => {
  it('writes the outlier multiple as an exact Float64 expression (power-of-two divisions only)', () => {
    expect(exactFloat(10).text).toBe('toFloat64(10)');
    expect(exactFloat(2.5).text).toBe('(toFloat64(5) / 2)');
    // 0.1 = m / 2^55, written as two exact divisions: evaluating the text in JS gives the same double back.
    for (const value of [0.1, 1.3, 7.75, 1e-3]) {
      const text = exactFloat(value).text.replace(/toFloat64\((\d+)\)/, '$1');
      expect(Function(`return ${text}`)(), String(value)).toBe(value);
    }
  });

  it('computes the heuristics oracle from directly-follows counts as discoverConcurrency does on the instances', () => {
    // Cases over a, b, c: a-b-c and a-c-b (b ∥ c), a-b-a-b (one A-B-A each way: below the length-two-loop threshold).
    const cases = [[0, 1, 2], [0, 2, 1], [0, 1, 2], [0, 2, 1], [0, 1, 0, 1]];
    const activity = Int32Array.from(cases.flat());
    const caseStart = Int32Array.from([0, ...cases.map((_, c) => cases.slice(0, c + 1).flat().length)]);
    const n = 3;
    const instances = { count: activity.length, activity, caseStart, withStart: 0 } as unknown as ActivityInstances;
    const follows = new Float64Array(n * n);
    const lengthTwo = new Float64Array(n * n);
    for (const trace of cases) {
      for (let k = 1; k < trace.length; k++) {
        follows[trace[k - 1] * n + trace[k]]++;
        if (k >= 2 && trace[k - 2] === trace[k] && trace[k - 1] !== trace[k]) lengthTwo[trace[k] * n + trace[k - 1]]++;
      }
    }
    const oracle = discoverConcurrency(instances, n);
    expect(oracle.pairs).toEqual([[0, 1], [1, 2]]);
    expect(concurrentFromFollows(follows, lengthTwo, n)).toEqual(oracle.concurrent);
  });
});

describe('ClickHouse start estimation: a memory refusal names --no-estimate', () => {
  const memory = 'Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded: would use 15.14 GiB, maximum: 14.90 GiB';
  it('rethrows the server refusal of an estimation step with the --no-estimate fix', async () => {
    const refusing = {
      rows: async () => [],
      exec: async () => {
        throw new VsmError({ code: 'HTTP_ERROR', what: 'ClickHouse rejected the query (HTTP 500)', where: 'http://127.0.0.1:8123', got: memory, fix: rejectionFix(500, memory) });
      },
    } as unknown as ClickHouseHttp;
    const source = { from: sql`default.t`, shape: 'activity' as const, ownerLevel: 'resource' as const };
    const error = await estimatedVisits(refusing, source, () => sql`SELECT 1`, undefined).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VsmError);
    const { what, fix } = error as VsmError;
    expect(what).toBe('ClickHouse rejected the query (HTTP 500) while estimating start times');
    expect(fix).toMatch(/raise max_memory_usage .*; or pass --no-estimate: start estimation keeps every instance in memory on the server and joins them in slices of 20,000,000 instances, and without it/);
  });
  it('leaves other errors as they are', () => {
    const other = new VsmError({ code: 'HTTP_ERROR', what: 'x', got: "Code: 60, Table default.t doesn't exist" });
    expect(withEstimationMemoryFix(other)).toBe(other);
    const plain = new Error('socket hang up');
    expect(withEstimationMemoryFix(plain)).toBe(plain);
  });
});
