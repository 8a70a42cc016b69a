/**
 * The phase line of `vsm analyze` (src/cli/progress.ts): its text, shown only on a TTY outside CI, cleared at the
 * end; and nothing on stderr when stderr is not a terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { formatElapsed, makePhaseProgress, phaseLine } from '../../src/cli/progress.js';
import { BIN, ROOT } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vsm-progress-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the phase line', () => {
  it('reads "analysing · wait causes · resource 12/26 · 1 m 40 s"', () => {
    expect(phaseLine('analysing', 'wait causes', 12, 26, 100_000)).toBe('analysing · wait causes · resource 12/26 · 1 m 40 s');
    expect(phaseLine('analysing', 'reconstruction', 0, 0, 4_200)).toBe('analysing · reconstruction · 4 s');
    expect(phaseLine('analysing', 'step timings', 3, 1_200, 0)).toBe('analysing · step timings · step 3/1,200 · 0 s');
    expect(formatElapsed(3_725_000)).toBe('1 h 2 m');
  });

  it('is off when stderr is not a terminal, under CI, or with --no-progress', () => {
    const tty = process.stderr.isTTY;
    try {
      process.stderr.isTTY = false;
      vi.stubEnv('CI', '');
      expect(makePhaseProgress('analysing', true).onPhase).toBeUndefined();
      process.stderr.isTTY = true;
      expect(makePhaseProgress('analysing', false).onPhase).toBeUndefined();
      vi.stubEnv('CI', '1');
      expect(makePhaseProgress('analysing', true).onPhase).toBeUndefined();
    } finally {
      process.stderr.isTTY = tty;
    }
  });

  it('on a terminal: one line rewritten in place, cleared by stop', () => {
    const tty = process.stderr.isTTY;
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.stderr.isTTY = true;
      vi.stubEnv('CI', '');
      const progress = makePhaseProgress('analysing', true);
      progress.onPhase?.('wait causes', 0, 0);
      progress.onPhase?.('wait causes', 12, 26);
      progress.stop();
      progress.stop();
      expect(write.mock.calls.map(([text]) => text)).toEqual([
        '\ranalysing · wait causes · 0 s\x1b[K',
        '\ranalysing · wait causes · resource 12/26 · 0 s\x1b[K',
        '\r\x1b[K',
      ]);
    } finally {
      process.stderr.isTTY = tty;
    }
  });
});

describe('vsm analyze with stderr not a terminal', () => {
  it('prints no progress, even outside CI', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', NO_COLOR: '1' };
    delete env.CI;
    const result = spawnSync(process.execPath, [BIN, 'analyze', 'fixtures/cli/tickets.csv', '--out', join(dir, 'tickets'), '--no-html'], { cwd: ROOT, encoding: 'utf8', env });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('wrote ');
  });
});
