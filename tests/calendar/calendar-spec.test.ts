import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CalendarSpecSchema } from '../../src/calendar/calendar-spec-schema.js';
import { acceptedCalendarSpec, parseCalendarSpec } from '../../src/calendar/calendar-spec.js';
import { isVsmError } from '../../src/errors.js';

/** What parseCalendarSpec answers: the accepted value as JSON (key order included), or the error's message. */
function answer(value: unknown): string {
  try {
    return `ok ${JSON.stringify(parseCalendarSpec(value))}`;
  } catch (error) {
    if (isVsmError(error)) return `error ${error.message}`;
    throw error;
  }
}

/** The zod schema's answer: the accepted value as JSON, or its first issue's message. */
function schemaAnswer(value: unknown): string {
  const result = CalendarSpecSchema.safeParse(value);
  if (result.success) return `ok ${JSON.stringify(result.data)}`;
  const issue = result.error.issues[0];
  return issue.message;
}

const berlin = { kind: 'business', timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], hours: [{ start: '09:00', end: '17:00' }], holidays: ['2024-12-25'] };

/** Valid specs and near misses: every rule of the schema broken once, and values the direct check leaves to zod. */
const corpus: unknown[] = [
  { kind: '24x7' },
  { kind: '24x7', note: 'extra keys are dropped' },
  berlin,
  { holidays: [], hours: [{ end: '12:00', start: '08:00', note: 1 }, { start: '13:00', end: '24:00' }], workingDays: [7, 1], timeZone: 'Asia/Kathmandu', kind: 'business', extra: true },
  { ...berlin, hours: [{ start: '00:00', end: '24:00' }] },
  null,
  5,
  'x',
  [],
  {},
  { kind: 'x' },
  { kind: 5 },
  new Date(0),
  Object.assign(Object.create(null) as object, { kind: '24x7' }),
  { ...berlin, timeZone: 5 },
  { ...berlin, timeZone: undefined },
  { ...berlin, timeZone: 'Mars/Olympus' },
  { ...berlin, workingDays: 5 },
  { ...berlin, workingDays: [] },
  { ...berlin, workingDays: [0] },
  { ...berlin, workingDays: [8] },
  { ...berlin, workingDays: [1.5] },
  { ...berlin, workingDays: ['1'] },
  { ...berlin, workingDays: [Number.NaN] },
  { ...berlin, workingDays: [Infinity] },
  { ...berlin, workingDays: [-0] },
  { ...berlin, workingDays: [1, , 3] },
  { ...berlin, hours: [] },
  { ...berlin, hours: 'x' },
  { ...berlin, hours: [5] },
  { ...berlin, hours: [{ start: 9, end: '17:00' }] },
  { ...berlin, hours: [{ start: '9:00', end: '17:00' }] },
  { ...berlin, hours: [{ start: '9:00', end: '07:00' }] },
  { ...berlin, hours: [{ start: '10:00', end: '09:00' }] },
  { ...berlin, hours: [{ start: '10:00', end: '10:00' }] },
  { ...berlin, hours: [{ start: '25:00', end: '26:00' }] },
  { ...berlin, hours: [{ start: '24:00', end: '24:00' }] },
  { ...berlin, hours: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] },
  { ...berlin, hours: [{ start: '13:00', end: '17:00' }, { start: '09:00', end: '13:00' }] },
  { ...berlin, hours: [{ start: '09:00', end: '13:00' }, { start: '12:00' }] },
  { ...berlin, hours: [new Date(0)] },
  { ...berlin, holidays: undefined },
  { ...berlin, holidays: ['2024-02-30'] },
  { ...berlin, holidays: ['2024-2-3'] },
  { ...berlin, holidays: [5] },
  { ...berlin, holidays: 'x' },
  { ...berlin, workingDays: [0], timeZone: 5 },
  { kind: 'business' },
];

describe('parseCalendarSpec without zod (issue 14, start-up)', () => {
  it('answers every value of the corpus as the zod schema does: the same accepted value, or the same first issue', () => {
    for (const value of corpus) {
      const expected = schemaAnswer(value);
      const got = answer(value);
      if (expected.startsWith('ok ')) expect(got, JSON.stringify(value)).toBe(expected);
      else expect(got, JSON.stringify(value)).toContain(`calendar invalid: ${expected}`);
    }
  });

  it('accepts directly only what the schema accepts, with the value the schema returns (generated specs)', () => {
    const clock = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('00:00', '08:00', '09:30', '12:00', '13:00', '17:00', '23:59', '24:00', '9:00', '24:01', '') }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) });
    const span = fc.record({ start: clock, end: clock });
    const spec = fc.record({
      kind: fc.constantFrom('business', '24x7', 'other'),
      timeZone: fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York', 'Nowhere/City', ''),
      workingDays: fc.array(fc.oneof(fc.integer({ min: -1, max: 8 }), fc.double(), fc.constant('1')), { maxLength: 4 }),
      hours: fc.array(span, { maxLength: 3 }),
      holidays: fc.array(fc.constantFrom('2024-12-25', '2024-02-30', '2025-1-1', 'x'), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(spec, (value) => {
        const direct = acceptedCalendarSpec(value);
        const schema = CalendarSpecSchema.safeParse(value);
        if (direct !== null) {
          expect(schema.success).toBe(true);
          expect(JSON.stringify(direct)).toBe(JSON.stringify(schema.data));
        }
        if (schema.success) expect(answer(value)).toBe(`ok ${JSON.stringify(schema.data)}`);
        else expect(answer(value)).toContain(`calendar invalid: ${schema.error.issues[0].message}`);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts the valid specs directly (no zod), copying their arrays', () => {
    expect(acceptedCalendarSpec({ kind: '24x7', note: 1 })).toEqual({ kind: '24x7' });
    const accepted = acceptedCalendarSpec(berlin);
    expect(accepted).toEqual(berlin);
    expect(accepted).not.toBe(berlin);
    if (accepted?.kind === 'business') {
      expect(accepted.hours).not.toBe(berlin.hours);
      expect(accepted.hours[0]).not.toBe(berlin.hours[0]);
      expect(accepted.workingDays).not.toBe(berlin.workingDays);
    }
    expect(acceptedCalendarSpec({ ...berlin, hours: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] })).toBeNull();
  });

  it('names the path of the first problem', () => {
    expect(answer({ ...berlin, hours: [{ start: '09:00', end: '13:00' }, { start: '12:00' }] })).toContain('calendar.hours.1.end');
  });
});
