import { describe, expect, it } from 'vitest';
import { computeDfg } from '../../src/metrics/dfg.js';
import { computeDfgColumns } from './dfg-reference.js';
import { randomVisits } from './random-visits.js';

describe('computeDfg in two walks', () => {
  it('equals the per-transition-column version on 300 random visit sets (open visits: no time)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { visits } = randomVisits(9000 + seed, seed % 10 === 0 ? 400 : 30);
      expect(computeDfg(visits), `seed ${seed}`).toEqual(computeDfgColumns(visits));
    }
  });
});
