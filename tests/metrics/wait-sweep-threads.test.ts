/**
 * The wait-cause sweep on a worker thread (src/metrics/wait-sweep-threads.ts) gives the one-thread result bit for bit,
 * falls back to one thread when the worker cannot start, and throws the worker's errors on the main thread. The
 * worker is the build's (dist/metrics/wait-sweep-worker.js: `npm test` builds first).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { VsmError } from '../../src/errors.js';
import { DEFAULT_WAIT_WORKER_MIN_INSTANCES, wantsWaitWorker, type WaitThreadOptions, type WaitThreadOutcome } from '../../src/metrics/wait-sweep-threads.js';
import { parseConfig } from '../../src/model/config-parse.js';
import { defaultAsOfMs } from '../../src/traces/censoring.js';
import { buildStepMap } from '../../src/traces/step-map.js';
import { analyzeWaits } from '../../src/vsm/wait-analysis.js';
import { instanceLog, type InstanceRow } from '../vsm/wait-fixture.js';

/**
 * A deterministic log: 60 cases over 5 resources (one with a configured calendar, the rest discovered), overlapping
 * work; with `missingStarts` a tenth of the instances have no start (to be estimated: without an estimate the sweep
 * does not run).
 */
function rows(seed: number, missingStarts: boolean): InstanceRow[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const out: InstanceRow[] = [];
  for (let c = 0; c < 60; c++) {
    let clockMin = c * 37 + Math.floor(random() * 300);
    for (const activity of ['A', 'B', 'C', 'D']) {
      const resource = random() < 0.05 ? null : `r${Math.floor(random() * 5)}`;
      const startMin = clockMin + Math.floor(random() * 400);
      const endMin = startMin + Math.floor(random() * 200);
      out.push([`case${c}`, activity, resource, !missingStarts || random() < 0.9 ? startMin : null, endMin]);
      clockMin = endMin;
    }
  }
  return out;
}

function run(seed: number, waitThreads: WaitThreadOptions, estimate = false) {
  const log = instanceLog(rows(seed, estimate));
  const config = parseConfig(JSON.stringify({ resources: { r1: { calendar: 'UTC Mon-Fri 09:00-17:00' } } }), 'test.json');
  const options = { config, map: buildStepMap(log, config), asOfMs: defaultAsOfMs(log), estimate, timeZone: 'UTC', activityTable: false, waitThreads };
  const result = analyzeWaits(log, options);
  return { json: JSON.stringify(result.json), steps: JSON.stringify([...result.stepCauses]) };
}

describe('the wait-cause sweep on a worker thread', () => {
  it('gives the one-thread json and step causes when the worker sweeps every run', () => {
    for (const seed of [1, 2, 3]) {
      const outcomes: WaitThreadOutcome[] = [];
      const threaded = run(seed, { worker: true, workerTakesAll: true, onOutcome: (outcome) => outcomes.push(outcome) });
      const single = run(seed, { worker: false });
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0].workerRuns).toBeGreaterThan(1);
      expect(outcomes[0].mainRuns).toBe(0);
      expect(threaded.json).toBe(single.json);
      expect(threaded.steps).toBe(single.steps);
      expect(JSON.parse(single.json).totalMs).toBeGreaterThan(0);
    }
  });

  it("does so with the bundle's worker entry too (dist/bundle/wait-sweep-worker.js, what the vsm bin starts)", () => {
    const script = new URL('../../dist/bundle/wait-sweep-worker.js', import.meta.url);
    const outcomes: WaitThreadOutcome[] = [];
    const threaded = run(7, { worker: true, workerTakesAll: true, script, onOutcome: (outcome) => outcomes.push(outcome) });
    expect(outcomes).toEqual([{ mainRuns: 0, workerRuns: expect.any(Number) }]);
    expect(outcomes[0].workerRuns).toBeGreaterThan(1);
    expect(threaded).toEqual(run(7, { worker: false }));
  });

  it('gives the one-thread result when both threads take runs, and with estimated starts', () => {
    for (const estimate of [false, true]) {
      const outcomes: WaitThreadOutcome[] = [];
      const threaded = run(4, { worker: true, onOutcome: (outcome) => outcomes.push(outcome) }, estimate);
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0].mainRuns + outcomes[0].workerRuns).toBeGreaterThan(1);
      expect(threaded).toEqual(run(4, { worker: false }, estimate));
    }
  });

  it('falls back to one thread when the worker script is missing or fails to load', () => {
    const folder = mkdtempSync(join(tmpdir(), 'vsm-wait-worker-'));
    const failing = join(folder, 'failing-worker.mjs');
    writeFileSync(failing, "throw new Error('cannot load');\n");
    for (const script of [pathToFileURL(join(folder, 'missing-worker.js')), pathToFileURL(failing)]) {
      const outcomes: WaitThreadOutcome[] = [];
      const threaded = run(5, { worker: true, script, onOutcome: (outcome) => outcomes.push(outcome) });
      expect(outcomes).toEqual([expect.objectContaining({ workerRuns: 0, fallback: expect.stringMatching(/not started/) })]);
      expect(threaded).toEqual(run(5, { worker: false }));
    }
  });

  it("throws the worker's VsmError with its code and parts, and an internal error as an Error", () => {
    const vsm = { code: 'BAD_CONFIG' as const, what: 'resource calendar invalid', where: 'config resources.r1.calendar', got: 'x', fix: 'use the --calendar syntax' };
    let thrown: unknown;
    try {
      run(6, { worker: true, workerTakesAll: true, fault: { vsm } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VsmError);
    expect((thrown as VsmError).toJSON()).toEqual({ ...vsm, message: new VsmError(vsm).message });
    expect(() => run(6, { worker: true, workerTakesAll: true, fault: { message: 'boom' } })).toThrow(/wait-cause sweep worker: boom/);
  });
});

describe('wantsWaitWorker', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('takes the option first; else, with VSM_WAIT_WORKER=1, the instance threshold; else one thread', () => {
    delete process.env.VSM_WAIT_WORKER;
    delete process.env.VSM_WAIT_WORKER_MIN_INSTANCES;
    expect(wantsWaitWorker(undefined, 10 ** 9)).toBe(false);
    expect(wantsWaitWorker({ worker: true }, 1)).toBe(true);
    process.env.VSM_WAIT_WORKER = '1';
    expect(wantsWaitWorker(undefined, DEFAULT_WAIT_WORKER_MIN_INSTANCES - 1)).toBe(false);
    expect(wantsWaitWorker(undefined, DEFAULT_WAIT_WORKER_MIN_INSTANCES)).toBe(true);
    expect(wantsWaitWorker({ minInstances: 10 }, 10)).toBe(true);
    expect(wantsWaitWorker({ worker: false }, 10 ** 9)).toBe(false);
    process.env.VSM_WAIT_WORKER_MIN_INSTANCES = '5';
    expect(wantsWaitWorker(undefined, 5)).toBe(true);
    expect(wantsWaitWorker(undefined, 4)).toBe(false);
    process.env.VSM_WAIT_WORKER = '0';
    expect(wantsWaitWorker(undefined, 10 ** 9)).toBe(false);
    expect(wantsWaitWorker({ worker: true }, 1)).toBe(true);
  });
});
