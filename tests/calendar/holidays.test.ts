import { describe, it, expect } from 'vitest';
import { loadHolidays } from '../../src/calendar/holidays.js';
import { VsmError } from '../../src/errors.js';

describe('loadHolidays', () => {
  it('reads one date per line with comments, names, blank lines and CRLF; sorts and de-duplicates', () => {
    const text = '\uFEFF# Berlin 2024\r\n2024-12-26 2. Weihnachtstag\r\n\r\n2024-12-25   # Christmas\r\n2024-10-03,Tag der Einheit\n2024-12-25\n';
    expect(loadHolidays(text, 'holidays.txt')).toEqual(['2024-10-03', '2024-12-25', '2024-12-26']);
  });

  it('reads a JSON array', () => {
    expect(loadHolidays(' ["2025-01-01", "2024-12-31"]', 'holidays.json')).toEqual(['2024-12-31', '2025-01-01']);
  });

  it('returns nothing for an empty file', () => {
    expect(loadHolidays('# none yet\n', 'h.txt')).toEqual([]);
  });

  it('names file and line of a bad date, with what was found and a fix', () => {
    expect.assertions(5);
    try {
      loadHolidays('2024-12-25\n25.12.2024 Christmas\n', 'holidays.txt');
    } catch (error) {
      const vsmError = error as VsmError;
      expect(vsmError.code).toBe('BAD_CALENDAR');
      expect(vsmError.where).toBe('holidays.txt:2');
      expect(vsmError.got).toContain('25.12.2024');
      expect(vsmError.fix).toContain('yyyy-MM-dd');
      expect(vsmError.message).toBe(`holiday date not understood · holidays.txt:2 · got "25.12.2024 Christmas" · ${vsmError.fix}`);
    }
  });

  it('rejects impossible dates and bad JSON', () => {
    expect(() => loadHolidays('2024-02-30\n', 'h.txt')).toThrow(/h\.txt:1/);
    expect(() => loadHolidays('["2024-01-01", 5]', 'h.json')).toThrow(/h\.json \[1\]/);
    expect(() => loadHolidays('["2024-01-01",', 'h.json')).toThrow(/not valid JSON/);
  });
});
