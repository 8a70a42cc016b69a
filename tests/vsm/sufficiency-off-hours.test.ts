/**
 * A business calendar that never covers the work: cases that took time but no working time. Their working-time lead
 * (and step) times are 0 s, which is true of the calendar and false of the team, so the verdicts say so, and the
 * headlines and the map say "unknown" rather than "0 s". Found by running a weekend log against Mon–Fri hours, which
 * said "lead time 0 s median" and blamed the export ("every recorded start equals its completion", a check that read
 * working time instead of instants).
 */
import { describe, expect, it } from 'vitest';
import { parseCalendarOption } from '../../src/calendar/calendar-option.js';
import { IngestReportBuilder } from '../../src/ingest/ingest-report.js';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';
import { renderAnswers } from '../../src/cli/emit-report.js';
import { renderMapSvg } from '../../src/render/map-svg.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { analyzeLog } from '../../src/vsm/analyze.js';

const BERLIN_OFFICE = parseCalendarOption('Europe/Berlin Mon-Fri 09:00-17:00');

/** Cases of two events each, A then B two hours later, on the given UTC days at 10:00 (with recorded starts when asked). */
function logOn(days: string[], starts = false) {
  const builder = new EventLogBuilder('activity');
  let row = 1;
  days.forEach((day, c) => {
    const at = Date.parse(`${day}T10:00:00Z`);
    for (const [activity, offsetMs] of [['A', 0], ['B', 2 * 3_600_000]] as const) {
      if (starts) builder.push({ caseId: `c${c}`, activity, timestampMs: at + offsetMs - 1_800_000, lifecycle: 'start', sourceRow: row++ });
      builder.push({ caseId: `c${c}`, activity, timestampMs: at + offsetMs, lifecycle: 'complete', sourceRow: row++ });
    }
  });
  const log = builder.build();
  return analyzeLog(log, new IngestReportBuilder('csv', 'flag').finish(), { logName: 'off-hours', calendar: BERLIN_OFFICE, estimateStarts: true }).report;
}

// 2024-01-06 and -07 are a Saturday and a Sunday; 2024-01-08 … -12 Monday to Friday.
const WEEKEND = ['2024-01-06', '2024-01-07', '2024-01-13', '2024-01-14'];
const WEEKDAYS = ['2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12'];

describe('cases that ran entirely outside the calendar\'s working hours', () => {
  it('all of them: lead, cycle and step times unsupported, with the count and the calendar as the fix', () => {
    const report = logOn(WEEKEND);
    const lead = report.dataQuality.sufficiency?.leadTime;
    expect(lead?.verdict).toBe('unsupported');
    expect(lead?.reason).toBe("4 finished cases of 4 ran entirely outside the calendar's working hours: in working time they took 0 s");
    expect(lead?.fix).toMatch(/^check the calendar's zone, days and hours/);
    expect(lead?.counts).toMatchObject({ casesOffHours: 4 });
    for (const metric of ['cycleTime', 'stepTimes', 'flowEfficiency'] as const) expect(report.dataQuality.sufficiency?.[metric]?.verdict, metric).toBe('unsupported');
    // Computed as 0 in working time, shown as unknown.
    expect(report.leadTimeMs.median).toBe(0);
    expect(renderAnswers(report, false)).toContain('lead time unknown (see above)');
    const svg = renderMapSvg(report);
    expect(svg).toContain('lead time unknown');
    expect(svg).not.toContain('lead time 0 s');
    expect(renderMarkdown(report, [])).toContain('Lead time unknown (see "What this export can and cannot tell") · flow efficiency unknown (see "What this export can and cannot tell")');
  });
  it('half of them: partial; fewer: no verdict; none: none', () => {
    expect(logOn([...WEEKEND.slice(0, 2), ...WEEKDAYS.slice(0, 2)]).dataQuality.sufficiency?.leadTime?.verdict).toBe('partial');
    expect(logOn([...WEEKEND.slice(0, 2), ...WEEKDAYS.slice(0, 3)]).dataQuality.sufficiency?.leadTime?.verdict).toBe('ok');
    const weekdays = logOn(WEEKDAYS);
    expect(weekdays.dataQuality.sufficiency?.leadTime?.verdict).toBe('ok');
    expect(renderAnswers(weekdays, false)).toMatch(/lead time 2 h median/);
  });
  it('recorded starts that differ from their completions are not "copies of the completion", even at 0 working time', () => {
    const report = logOn(WEEKEND, true);
    expect(report.dataQuality.sufficiency?.flowEfficiency?.reason).not.toContain('every recorded start equals its completion');
    expect(report.dataQuality.sufficiency?.flowEfficiency?.reason).toContain('outside the calendar\'s working hours');
  });
});

/** Cases whose events all carry one time (`events` per case), on successive days: lead time 0 s by construction. */
function instantLog(cases: number, events: number, timedCases = 0) {
  const builder = new EventLogBuilder('activity');
  let row = 1;
  for (let c = 0; c < cases + timedCases; c++) {
    const at = Date.parse('2024-02-01T10:00:00Z') + c * 86_400_000;
    for (let e = 0; e < events; e++) {
      // The timed cases take an hour per event; the instant ones none.
      const offsetMs = c >= cases ? e * 3_600_000 : 0;
      builder.push({ caseId: `c${c}`, activity: `S${e}`, timestampMs: at + offsetMs, lifecycle: 'complete', sourceRow: row++ });
    }
  }
  return analyzeLog(builder.build(), new IngestReportBuilder('csv', 'flag').finish(), { logName: 'instant', estimateStarts: true }).report;
}

describe('cases that end at the instant they begin (one event, or one timestamp on all events)', () => {
  it('all of them: unsupported with the count, and no "recorded start" blamed for estimated starts', () => {
    for (const events of [1, 3]) {
      const report = instantLog(40, events);
      const lead = report.dataQuality.sufficiency?.leadTime;
      expect(lead?.verdict, `${events} events`).toBe('unsupported');
      expect(lead?.reason).toBe("40 finished cases of 40 ended at the instant they began (one event, or one timestamp on all of a case's events): no time passed that could be measured");
      expect(lead?.counts).toMatchObject({ casesInstant: 40 });
      expect(report.dataQuality.sufficiency?.flowEfficiency?.reason).not.toContain('every recorded start equals its completion');
      expect(renderAnswers(report, false)).toContain('lead time unknown (see above)');
    }
  });
  it('half of them: partial; fewer: ok', () => {
    expect(instantLog(20, 3, 20).dataQuality.sufficiency?.leadTime?.verdict).toBe('partial');
    expect(instantLog(19, 3, 21).dataQuality.sufficiency?.leadTime?.verdict).toBe('ok');
  });
});
