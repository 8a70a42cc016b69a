import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Smoke tests of the benchmark scripts on a tiny log. They run the built library (npm test builds first)
// and never assert speed: timings on a shared CI machine say nothing about a change.
const ROOT = resolve(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist/synthetic/generate.js'));
const readerBuilt = (kind: 'csv' | 'xes'): boolean => existsSync(join(ROOT, `dist/ingest/${kind}.js`));
const dir = mkdtempSync(join(tmpdir(), 'vsm-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe.skipIf(!built)('bench/generate.mjs (needs npm run build)', () => {
  it('writes exactly the requested number of events, byte-identical on a second run', () => {
    const hashes = ['a', 'b'].map((name) => {
      const out = join(dir, `${name}.csv`);
      const run = node(['bench/generate.mjs', '--events', '2000', '--format', 'csv', '--seed', '42', '--out', out]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text.trimEnd().split('\n').length).toBe(2001); // header + 2,000 events
      return createHash('sha256').update(text).digest('hex');
    });
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('exits 2 with a usage line when --out is missing', () => {
    const run = node(['bench/generate.mjs', '--events', '10']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: node bench\/generate\.mjs/);
  });
});

describe.skipIf(!built)('bench/run.mjs on a 2,000-event log (needs npm run build)', () => {
  it('prints the results table and writes results.md', () => {
    const out = join(dir, 'bench-out');
    const run = node(['bench/run.mjs', '--events', '2000', '--out', out]);
    expect(run.stdout).toContain('| log | events | read s | events/s | peak RSS MiB | PM4Py reference | ratio |');
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('| tickets-2k.csv |');
    for (const kind of ['csv', 'xes'] as const) {
      const row = run.stdout.split('\n').find((line) => line.startsWith(`| tickets-2k.${kind} |`));
      expect(row).toBeDefined();
      // A built reader is measured (numbers in the row); a missing one is reported, not hidden.
      if (readerBuilt(kind)) expect(row).toMatch(/^\| tickets-2k\.\w+ \| 2,000 \| [\d.]+ \| [\d,]+ \| [\d,]+ \|/);
      else expect(row).toContain('not measured');
    }
    // The pandas peer (bench/pandas-peer.py) is measured where Debian's python3 has pandas (CI installs it), else its
    // row says so and the run is not failed for it.
    const pandasRow = run.stdout.split('\n').find((line) => line.startsWith('| tickets-2k.csv (pandas:'));
    // The interpreters bench/run.mjs tries, in its order.
    const pythons = process.env.VSM_BENCH_PYTHON ? [process.env.VSM_BENCH_PYTHON] : ['/usr/bin/python3', 'python3'];
    const pandasInstalled = pythons.some((python) => spawnSync(python, ['-c', 'import pandas']).status === 0);
    if (readerBuilt('csv')) {
      if (pandasInstalled) expect(pandasRow).toMatch(/^\| tickets-2k\.csv \(pandas: [^|]+\| 2,000 \| [\d.]+ \| [\d,]+ \| [\d,]+ \|/);
      else expect(pandasRow).toMatch(/^\| tickets-2k\.csv \(pandas: [^|]+\|[^|]+\| — \| — \| — \| — \| not measured: (pandas is not installed|no python3 found)/);
    }
    expect(run.status).toBe(readerBuilt('csv') && readerBuilt('xes') ? 0 : 1);
  });
});
