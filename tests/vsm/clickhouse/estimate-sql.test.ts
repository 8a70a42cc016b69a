import { describe, expect, it } from 'vitest';
import { concurrentFromFollows, discoverConcurrency } from '../../../src/traces/concurrency-oracle.js';
import type { ActivityInstances } from '../../../src/traces/activity-instances.js';
import { exactFloat } from '../../../src/vsm/clickhouse/estimate-sql.js';

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
