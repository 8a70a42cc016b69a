import { describe, expect, it } from 'vitest';
import { computeStepTimings } from '../../src/metrics/timing.js';
import { parseConfig } from '../../src/model/config-parse.js';
import { randomVisits } from './random-visits.js';
import { computeStepTimingsByStep } from './timing-reference.js';

describe('computeStepTimings by step slot (one pass per distribution)', () => {
  it('equals the step-by-step gather on 150 random small logs (the bootstrap interval path)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const { visits } = randomVisits(seed, 12);
      expect(computeStepTimings(visits, { seed: 5 }), `seed ${seed}`).toEqual(computeStepTimingsByStep(visits, { seed: 5 }));
    }
  });

  it('equals it above 1,000 values a step (selection and sort paths), with a system attribute and a configured owner', () => {
    const config = parseConfig('{ "system": { "attribute": "system" } }', 'vsm.config.json');
    for (let seed = 1; seed <= 8; seed++) {
      const { visits, system } = randomVisits(1000 + seed, 1500);
      const log = { attributes: new Map([['system', system]]) };
      const steps = visits.steps.map((step, s) => (s === 0 && seed % 2 === 0 ? { ...step, owner: 'o0' } : step));
      const withOwner = { ...visits, steps };
      const options = { seed: 3, config, log, defaultSystem: 'CSV' };
      expect(computeStepTimings(withOwner, options), `seed ${seed}`).toEqual(computeStepTimingsByStep(withOwner, options));
    }
  });

  it('counts cases and rework cases per step across interleaved steps', () => {
    const { visits } = randomVisits(77, 40);
    const timed = computeStepTimings(visits);
    for (const step of timed) {
      const code = visits.steps.findIndex((definition) => definition.name === step.name);
      const perCase = new Map<number, number>();
      for (let v = 0; v < visits.count; v++) if (visits.stepCode[v] === code) perCase.set(visits.caseCode[v], (perCase.get(visits.caseCode[v]) ?? 0) + 1);
      expect([step.cases, step.reworkCases]).toEqual([perCase.size, [...perCase.values()].filter((n) => n >= 2).length]);
    }
  });
});
