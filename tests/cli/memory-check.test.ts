/**
 * The memory warning before reading (src/cli/memory-check.ts, src/vsm/memory-need.ts): the event estimate from
 * the file's first rows, and the warning when the need is above a (mocked) free memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { warnIfTooLarge } from '../../src/cli/memory-check.js';
import { estimateEvents, SAMPLE_BYTES } from '../../src/ingest/estimate-events.js';
import { BASE_PEAK_BYTES, memoryWarning, PEAK_BYTES_PER_EVENT, peakBytesFor } from '../../src/vsm/memory-need.js';

const dir = mkdtempSync(join(os.tmpdir(), 'vsm-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** A CSV of `rows` events whose rows vary in length a little, as real ones do. */
function csv(rows: number): string {
  const lines = ['case,activity,timestamp,resource'];
  for (let i = 0; i < rows; i++) lines.push(`case-${Math.floor(i / 7)},${i % 3 === 0 ? 'Review' : 'Fix the thing'},2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z,agent-${i % 13}`);
  return `${lines.join('\n')}\n`;
}

describe('estimateEvents', () => {
  it('counts a small file exactly', () => {
    const path = join(dir, 'small.csv');
    writeFileSync(path, csv(1_000));
    expect(estimateEvents(path)).toMatchObject({ events: 1_000, exact: true });
  });

  it('estimates a file larger than the sample within a few percent, and a gzip file from its first chunk', () => {
    const rows = 150_000;
    const text = csv(rows);
    expect(text.length).toBeGreaterThan(SAMPLE_BYTES);
    const path = join(dir, 'large.csv');
    writeFileSync(path, text);
    const plain = estimateEvents(path);
    expect(plain?.exact).toBe(false);
    expect(Math.abs((plain?.events ?? 0) / rows - 1)).toBeLessThan(0.05);
    const gz = join(dir, 'large.csv.gz');
    writeFileSync(gz, gzipSync(text));
    const zipped = estimateEvents(gz);
    expect(Math.abs((zipped?.events ?? 0) / rows - 1)).toBeLessThan(0.1);
  });

  it('counts XES events, and makes no estimate for standard input, folders or JSON', () => {
    const path = join(dir, 'log.xes');
    writeFileSync(path, `<log><trace>${'<event><string key="concept:name" value="A"/></event>\n'.repeat(5)}</trace><trace><event>\n</event></trace></log>`);
    expect(estimateEvents(path)).toMatchObject({ events: 6, exact: true });
    expect(estimateEvents('-')).toBeNull();
    expect(estimateEvents(dir)).toBeNull();
    const json = join(dir, 'issues.json');
    writeFileSync(json, '{"issues": []}');
    expect(estimateEvents(json)).toBeNull();
    const locked = join(dir, 'locked.csv');
    writeFileSync(locked, csv(10), { mode: 0o000 });
    // Root reads it anyway; anyone else gets no estimate instead of an error.
    expect([null, 10]).toContain(estimateEvents(locked)?.events ?? null);
  });
});

describe('the memory warning', () => {
  it('need = base + bytes per event; no warning when it fits', () => {
    expect(peakBytesFor(20e6)).toBe(BASE_PEAK_BYTES + PEAK_BYTES_PER_EVENT.other * 20e6);
    expect(memoryWarning({ events: 1e6, exact: false }, 'x.csv', { totalBytes: 24e9, freeBytes: 15e9 })).toBeNull();
  });

  it('the slope follows what the run keeps: report.json only, with HTML, other commands (the old slope)', () => {
    expect(PEAK_BYTES_PER_EVENT).toEqual({ html: 130, json: 80, other: 160 });
    // Measured peaks (memory-need.ts): --no-html 1,578 MB at 20 M and 7,403 MB at 100 M; with HTML 2,388 MB at 20 M.
    expect(peakBytesFor(20e6, 'json')).toBe(1.8e9);
    expect(peakBytesFor(100e6, 'json')).toBe(8.2e9);
    expect(peakBytesFor(20e6, 'html')).toBe(2.8e9);
    expect(peakBytesFor(20e6)).toBe(peakBytesFor(20e6, 'other'));
    const machine = { totalBytes: 24e9, freeBytes: 9e9 };
    expect(memoryWarning({ events: 100e6, exact: false }, 'big.csv', machine, 'json')).toBeNull();
    expect(memoryWarning({ events: 100e6, exact: false }, 'big.csv', machine, 'html')).toContain('about 100 M events (estimated from the file size and its first rows) need about 13 GB; this machine has 9.0 GB free (of 24 GB)');
  });

  it('warnIfTooLarge estimates by the run it is told: 1,000 events fit 200.1 MB free with --no-html, not with HTML', () => {
    const path = join(dir, 'tickets-run.csv');
    writeFileSync(path, csv(1_000));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(os, 'totalmem').mockReturnValue(24e9);
    vi.spyOn(os, 'freemem').mockReturnValue(200.1e6);
    vi.spyOn(process, 'constrainedMemory').mockReturnValue(0);
    expect(warnIfTooLarge(path, 'json')).toBeNull();
    expect(stderr).not.toHaveBeenCalled();
    expect(warnIfTooLarge(path, 'html')).not.toBeNull();
    expect(stderr).toHaveBeenCalledTimes(1);
  });

  it('says what, where, got and fix when the need is above the free memory', () => {
    const text = memoryWarning({ events: 120e6, exact: false }, 'big.csv', { totalBytes: 24e9, freeBytes: 15e9 });
    expect(text).toBe(
      'warning: this log may not fit in memory; the analysis goes on and may be stopped by the system · big.csv · about 120 M events (estimated from the file size and its first rows) need about 19 GB; this machine has 15 GB free (of 24 GB) · fix: analyse a shorter period (filter the export by date), or load it into ClickHouse and use --engine clickhouse (docs/clickhouse.md)',
    );
    expect(memoryWarning({ events: 20e6, exact: true }, 'big.csv', { totalBytes: 2e9, freeBytes: 1.2e9 })).toContain('20 M events need about 3.4 GB; this machine has 2.0 GB in all, 1.2 GB free');
  });

  it('warnIfTooLarge writes the warning on stderr with mocked free memory, and nothing when memory is plenty', () => {
    const path = join(dir, 'tickets.csv');
    writeFileSync(path, csv(1_000));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(os, 'totalmem').mockReturnValue(256e6);
    vi.spyOn(os, 'freemem').mockReturnValue(100e6);
    vi.spyOn(process, 'constrainedMemory').mockReturnValue(0);
    expect(warnIfTooLarge(path)).toContain('· 1,000 events need about 0.2 GB;');
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^vsm: warning: this log may not fit in memory; .* · .*tickets\.csv · 1,000 events need about 0\.2 GB; this machine has 0\.1 GB free \(of 0\.3 GB\) · fix: /));
    stderr.mockClear();
    vi.spyOn(os, 'freemem').mockReturnValue(16e9);
    vi.spyOn(os, 'totalmem').mockReturnValue(24e9);
    expect(warnIfTooLarge(path)).toBeNull();
    expect(stderr).not.toHaveBeenCalled();
  });

  it('a container limit below the machine counts as the machine', () => {
    const path = join(dir, 'tickets2.csv');
    writeFileSync(path, csv(1_000));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(os, 'totalmem').mockReturnValue(24e9);
    vi.spyOn(os, 'freemem').mockReturnValue(16e9);
    vi.spyOn(process, 'constrainedMemory').mockReturnValue(100e6);
    expect(warnIfTooLarge(path)).not.toBeNull();
    expect(stderr).toHaveBeenCalledTimes(1);
  });
});
