import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Smoke test of bench/scale.mjs on tiny logs: it runs the built CLI (npm test builds first) and never asserts speed.
const ROOT = resolve(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist/bundle/vsm.js')) && existsSync(join(ROOT, 'dist/synthetic/generate.js'));
const dir = mkdtempSync(join(tmpdir(), 'vsm-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scale(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ['bench/scale.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

interface ScaleRow {
  events: number;
  ok: boolean;
  cases?: number;
  peakBytes?: number;
  cpuSeconds?: number;
  error?: string;
}

describe.skipIf(!built)('bench/scale.mjs (needs npm run build)', () => {
  it('analyses each size on each engine in its own process and reports its cases, CPU and peak memory', () => {
    const run = scale(['--events', '2000,1500', '--dir', dir]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    // Smallest first, memory then the event store, each row with numbers; the 100 M target says it was not measured.
    expect(run.stdout).toMatch(/\| 1,500 \| memory \| \d[\d,]* \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d,]+ MB \([\d.]+ GiB\) \| [\d,]+ \|[^\n]*\n\| 1,500 \| duckdb \|[^\n]*\n\| 2,000 \| memory \|/);
    expect(run.stdout).toContain('The 8 GB target is for 100,000,000 events: not measured in this run.');
    const rows = (JSON.parse(readFileSync(join(dir, 'scale.json'), 'utf8')) as { rows: Array<ScaleRow & { engine: string }> }).rows;
    expect(rows.map((row) => [row.events, row.engine, row.ok])).toEqual([
      [1500, 'memory', true],
      [1500, 'duckdb', true],
      [2000, 'memory', true],
      [2000, 'duckdb', true],
    ]);
    // The same log gives the same cases on both engines.
    expect(rows[1].cases).toBe(rows[0].cases);
    for (const row of rows) {
      expect(row.cases).toBeGreaterThan(100);
      // A Node process running the CLI holds tens of MB at least; CPU time is never zero.
      expect(row.peakBytes).toBeGreaterThan(20e6);
      expect(row.cpuSeconds).toBeGreaterThan(0);
    }
  });

  it('reports a given log whose event count is not the size it was given for, and exits 1', () => {
    const run = scale(['--events', '1500', '--engines', 'memory', '--log', `999=${join(ROOT, 'fixtures/cli/tickets.csv')}`, '--dir', dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\| 999 \| memory \|[^\n]*failed: the report counts 19 events, not 999/);
  });

  it('exits 2 with the usage line on a bad size', () => {
    const run = scale(['--events', '12x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--events takes whole numbers > 0');
    expect(run.stderr).toContain('usage: node bench/scale.mjs');
    const engine = scale(['--engines', 'memory,sqlite']);
    expect(engine.status).toBe(2);
    expect(engine.stderr).toContain('--engines takes memory and/or duckdb');
  });
});
