/**
 * `vsm analyze --engine duckdb` (src/vsm/analyze-stored.ts through the CLI): the events go to the event store and are
 * read back by case ranges. Every output equals the in-memory engine's but report.json's provenance, which says the
 * engine; the anonymized names are the same pseudonyms; bad input is refused as in memory (exit 2, no output); a
 * source the store does not read is a usage error naming the fix.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const HELPDESK = join(ROOT, 'fixtures/demo/helpdesk.csv.gz');

function run(args: string[], engine: 'memory' | 'duckdb', env: Record<string, string> = {}) {
  const out = mkdtempSync(join(tmpdir(), `vsm-engine-${engine}-`));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const result = runCli(['analyze', ...args, '--engine', engine, '--out', out, '--no-progress']);
    return { ...result, out };
  } finally {
    process.env = saved;
  }
}

/** report.json without the engine's provenance line. */
function reportOf(out: string): Record<string, unknown> {
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { provenance: { options: Record<string, unknown> } };
  delete report.provenance.options.engine;
  return report;
}

describe('vsm analyze --engine duckdb', () => {
  it('writes what the in-memory engine writes, byte for byte but the provenance (ranges forced small)', { timeout: 120_000 }, () => {
    const args = [HELPDESK, '--config', join(ROOT, 'fixtures/demo/vsm.config.json'), '--anonymize'];
    const memory = run(args, 'memory');
    const stored = run(args, 'duckdb', { VSM_STORE_RANGE_EVENTS: '5000' });
    expect(memory.status).toBe(0);
    expect(stored.status, stored.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(stored.out, 'report.json'), 'utf8')).provenance.options.engine).toBe('duckdb');
    expect(reportOf(stored.out)).toEqual(reportOf(memory.out));
    const files = readdirSync(memory.out).filter((name) => name !== 'report.json' && name !== 'charts');
    expect(readdirSync(stored.out).sort()).toEqual(readdirSync(memory.out).sort());
    // report.md and report.html show the provenance options, engine included: equal once it is set aside.
    const withoutEngine = (text: string) => text.replace(',"engine":"duckdb"', '').replace(',&quot;engine&quot;:&quot;duckdb&quot;', '');
    for (const name of files) {
      const same = withoutEngine(readFileSync(join(stored.out, name), 'utf8')) === readFileSync(join(memory.out, name), 'utf8');
      expect(same, `${name} differs`).toBe(true);
    }
    for (const name of readdirSync(join(memory.out, 'charts'))) {
      expect(readFileSync(join(stored.out, 'charts', name), 'utf8') === readFileSync(join(memory.out, 'charts', name), 'utf8'), `charts/${name} differs`).toBe(true);
    }
    expect(readFileSync(join(stored.out, 'activities.csv'), 'utf8')).not.toMatch(/Value 1\b/);
  });

  it('refuses a log with no usable event as in memory (exit 2, no report)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsm-engine-bad-'));
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'case,activity,timestamp\nc1,A,not a date\nc2,B,also not\n');
    const memory = run([path], 'memory');
    const stored = run([path], 'duckdb');
    expect(stored.status).toBe(2);
    expect(stored.stderr).toBe(memory.stderr.replaceAll(memory.out, stored.out));
    expect(existsSync(join(stored.out, 'report.json'))).toBe(false);
  });

  it('refuses a source the store does not read, with the fix', () => {
    const stored = run([join(ROOT, 'fixtures/jira/flagged-impediments.json')], 'duckdb');
    expect(stored.status).toBe(2);
    expect(stored.stderr).toMatch(/the event store reads CSV, XES and Parquet event logs only .* · got a jira export · analyse it in memory \(vsm analyze without --engine duckdb\)/);
  });
});
