import type { DistributionJson, ReportJson, StepJson } from '../../src/contracts/report-schema.js';

/** A distribution from explicit numbers (median/percentiles given by hand, not computed). */
export function dist(parts: Partial<DistributionJson> & { n: number; sum: number }): DistributionJson {
  return {
    mean: parts.n > 0 ? parts.sum / parts.n : null,
    median: null,
    p85: null,
    p95: null,
    min: null,
    max: null,
    ciLow: null,
    ciHigh: null,
    thin: parts.n < 30,
    ...parts,
  };
}

export const EMPTY = dist({ n: 0, sum: 0 });

export function step(name: string, parts: Partial<StepJson> = {}): StepJson {
  return {
    name,
    order: 0,
    class: 'active',
    members: [{ name, statusClass: 'active', origin: 'name-default' }],
    valueClass: 'value-adding',
    owner: null,
    system: null,
    visits: 0,
    cases: 0,
    reworkCases: 0,
    activeMs: EMPTY,
    queueMs: EMPTY,
    waitingMs: EMPTY,
    blockedMs: EMPTY,
    elapsedMs: EMPTY,
    delayMs: EMPTY,
    activeUnknown: false,
    totalDelayMs: 0,
    totalActiveMs: 0,
    thin: true,
    ...parts,
  };
}

export function log(cases: number): ReportJson['log'] {
  return { name: 'fixture', format: 'csv', shape: 'status', cases, events: cases * 4, openCases: 0, timeRange: null, asOf: null };
}

export function lead(sumMs: number, n: number): ReportJson['leadTimeMs'] {
  return { ...dist({ n, sum: sumMs }), censored: 0, method: 'empirical' };
}
