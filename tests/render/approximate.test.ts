import { describe, expect, it } from 'vitest';
import { approximateKey, approximateMark, approximateSubtitle } from '../../src/render/approximate.js';
import { renderMapSvg } from '../../src/render/map-svg.js';
import { stepColumns } from '../../src/render/step-table.js';
import { durationFormatFor } from '../../src/render/duration.js';
import { jiraReport } from './render-fixtures.js';

const SKETCH = { method: 'DDSketch' as const, relativeAccuracy: 0.01 };

describe('the ≈ mark of figures read from a quantile sketch', () => {
  it('marks only approximate distributions', () => {
    expect(approximateMark({ approximate: SKETCH })).toBe('≈ ');
    expect(approximateMark({}, undefined)).toBe('');
    expect(approximateMark({}, { approximate: SKETCH })).toBe('≈ ');
  });

  it('adds a chart subtitle only when a distribution drawn is approximate', () => {
    expect(approximateSubtitle([{}, undefined])).toBe('');
    expect(approximateSubtitle([{}, { approximate: SKETCH }])).toBe('; ≈ medians of the largest groups read from a quantile sketch (within 1 %)');
  });

  it('shows ≈ in the step table and the map, and says why in the legend, only when a step distribution is approximate', () => {
    const exact = jiraReport();
    const report = jiraReport();
    const step = report.steps.find((candidate) => !candidate.activeUnknown && candidate.delayMs.median !== null) ?? report.steps[0];
    step.delayMs = { ...step.delayMs, approximate: SKETCH };
    const fmt = durationFormatFor(report.calendar);
    const delayColumn = stepColumns(fmt).find((column) => column.csvHeader === 'delay_median');
    expect(delayColumn?.text(step).startsWith('≈ ')).toBe(true);
    const exactStep = exact.steps.find((candidate) => candidate.name === step.name) ?? exact.steps[0];
    expect(delayColumn?.text(exactStep).startsWith('≈')).toBe(false);
    expect(approximateKey(report)).toEqual(['≈ read from a quantile sketch (a step with more visits than are kept exactly): within 1 %']);
    expect(approximateKey(exact)).toEqual([]);
    const svg = renderMapSvg(report);
    expect(svg).toContain('read from a quantile sketch');
    expect(svg).toContain(`delay median ≈ `);
    expect(renderMapSvg(exact)).not.toContain('quantile sketch');
  });
});
