import { describe, expect, it } from 'vitest';
import { recordAddress } from '../../src/contracts/ingest-report.js';

describe('recordAddress', () => {
  it('names the record by its number, never file:N (which editors read as a line number)', () => {
    expect(recordAddress('tickets.csv', 2)).toBe('tickets.csv record 2');
    expect(recordAddress('log.xes.gz', 1_234)).toBe('log.xes.gz record 1234');
    expect(recordAddress('a:b.csv', 7)).not.toMatch(/:7$/);
  });
});
