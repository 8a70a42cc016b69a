import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.js';

describe('bench/stored-read.mjs (the stored read on the built modules, as Node loads them)', () => {
  it('reads a CSV into the event store and back in ranges: every event once', () => {
    const run = spawnSync(process.execPath, ['bench/stored-read.mjs', '--file', 'fixtures/csv/rejections.csv', '--ranges', '2'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { events: number; rowsUsed: number; cases: number };
    expect(result.events).toBe(result.rowsUsed);
    expect(result.events).toBeGreaterThan(0);
  });
});
