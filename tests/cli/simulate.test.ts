import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTicketLog } from '../../src/synthetic/generate.js';
import { writeCsv } from '../../src/synthetic/write-log.js';
import { SimulateSchema } from '../../src/contracts/simulate-schema.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vsm-simulate-'));
const log = join(dir, 'helpdesk.csv');

beforeAll(async () => {
  await writeCsv(generateTicketLog({ seed: 42, cases: 1_000, shape: 'activity-start-complete' }), log);
});

describe('vsm simulate (built binary)', () => {
  it('halving the Fix queue shortens lead time (--json, schema-valid)', () => {
    const result = runCli(['simulate', log, '--reduce-wait', 'Fix:50', '--runs', '500', '--json']);
    expect(result.status).toBe(0);
    const json = SimulateSchema.parse(JSON.parse(result.stdout));
    expect(json.runs).toBe(500);
    // 1,000 cases: auto resamples them.
    expect(json.method).toBe('monte-carlo');
    expect(json.changes.map((change) => change.kind)).toEqual(['reduce-wait']);
    expect(json.difference.leadTimeMedianMs?.ciHigh).toBeLessThan(0);
    expect(json.workload.movesBottleneck).toBe(false);
  });
  it('flags a merge that moves QA work onto Dev and writes simulate.json and future-map.svg', () => {
    const out = join(dir, 'merge');
    const result = runCli(['simulate', log, '--merge', 'Fix+Review', '--runs', '300', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Moves the bottleneck');
    expect(result.stdout).toMatch(/Dev .* gains work: moves the bottleneck/);
    const json = SimulateSchema.parse(JSON.parse(readFileSync(join(out, 'simulate.json'), 'utf8')));
    expect(json.futureSteps.map((step) => step.name)).toContain('Fix + Review');
    const svg = readFileSync(join(out, 'future-map.svg'), 'utf8');
    expect(svg.startsWith('<svg') || svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('Fix + Review');
    expect(svg).toContain('class="vsm-changed"');
    expect(readFileSync(join(out, 'map.svg'), 'utf8')).toContain('Current-state value stream');
    const html = readFileSync(join(out, 'simulate.html'), 'utf8');
    expect(html).toContain('<strong class="warn">Moves the bottleneck:</strong>');
    expect(html).toContain('id="future-map"');
    expect(result.stdout).toContain('simulate.html');
  });
  it('exits 2 on an unknown step, a bad percentage or a bad --runs', () => {
    const unknown = runCli(['simulate', log, '--reduce-wait', 'Nope:50']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown step · flag --reduce-wait · got "Nope" · use one of "Triage"/);
    expect(runCli(['simulate', log, '--capacity', 'Fix:lots']).status).toBe(2);
    expect(runCli(['simulate', log, '--runs', '0']).status).toBe(2);
    // A 95 % interval over a handful of runs is their extremes, over one run a point: 100 at least, as compare's resamples.
    const few = runCli(['simulate', log, '--runs', '1']);
    expect(few.status).toBe(2);
    expect(few.stderr).toContain('--runs must be a whole number from 100 to 1,000,000 · flag --runs · got "1"');
    expect(runCli(['simulate', log, '--runs', '100', '--json']).status).toBe(0);
  });
  it('--method normal-approximation draws the runs from the approximation and says so; a bad --method exits 2', () => {
    const result = runCli(['simulate', log, '--reduce-wait', 'Fix:50', '--runs', '500', '--method', 'normal-approximation']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/500 runs of [\d,]+ cases, normal approximation\)/);
    expect(result.stdout).toContain('lead time (95 % of approximated runs)');
    const bad = runCli(['simulate', log, '--method', 'exact']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--method must be one of auto, monte-carlo, normal-approximation · flag --method · got "exact"');
  });
});
