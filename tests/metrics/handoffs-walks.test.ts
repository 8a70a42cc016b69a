import { describe, expect, it } from 'vitest';
import { computeHandoffs } from '../../src/metrics/handoffs.js';
import { computeHandoffsOneWalk } from './handoffs-reference.js';
import { randomVisits } from './random-visits.js';

describe('computeHandoffs in two walks', () => {
  it('equals the per-handoff-column version on 300 random logs (missing owners, single-timestamp logs, few pairs kept)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { visits } = randomVisits(5000 + seed, seed % 10 === 0 ? 400 : 30);
      const options = { seed: 9, maxPairs: seed % 3 === 0 ? 2 : 100 };
      expect(computeHandoffs(visits, options), `seed ${seed}`).toEqual(computeHandoffsOneWalk(visits, options));
    }
  });
});
