/**
 * `vsm load --engine clickhouse` and `vsm analyze --engine clickhouse` end to end against one loopback server
 * started here: canonical table, a foreign table mapped by flags (--query), and credentials never echoed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseHttp } from '../../src/vsm/clickhouse/http-client.js';
import { sql } from '../../src/vsm/clickhouse/sql.js';
import { ReportSchema } from '../../src/contracts/report-schema.js';
import { clickhouseInstalled, type LocalCluster, startLocalCluster, TEST_PASSWORD, TEST_USER } from '../vsm/clickhouse/local-cluster.js';
import { BIN, ROOT } from './run-cli.js';

const installed = clickhouseInstalled();
if (!installed) console.log('SKIP vsm load/analyze --engine clickhouse CLI tests: clickhouse-server is not installed');

function vsm(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', CI: '1', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file below `dir`, recursively. */
function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? allFiles(join(dir, name)) : [join(dir, name)]));
}

describe.skipIf(!installed)('vsm load / analyze --engine clickhouse', () => {
  let server: LocalCluster | undefined;
  let url = '';
  const out = mkdtempSync(join(tmpdir(), 'vsm-ch-cli-'));

  beforeAll(async () => {
    server = await startLocalCluster(1);
    url = server.urls[0];
  }, 40_000);

  afterAll(() => {
    server?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('loads the running example and analyses the table without mapping flags', () => {
    const load = vsm(['load', '--engine', 'clickhouse', 'fixtures/references/running-example.csv', '--table', 'default.running', '--clickhouse-url', url]);
    expect(load.stderr).toBe('');
    expect(load.status).toBe(0);
    expect(load.stdout).toMatch(/loaded 42 events of 6 cases/);
    const analyze = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--json', '--out', join(out, 'json')]);
    expect(analyze.status).toBe(0);
    // A single-timestamp log: the starts are estimated in SQL as in memory by default (no note on stderr).
    expect(analyze.stderr).toBe('');
    const report = ReportSchema.parse(JSON.parse(analyze.stdout));
    // The running example: 6 cases, 42 events, 6 distinct traces (pm4py reference in fixtures/references).
    expect(report.log).toMatchObject({ cases: 6, events: 42, format: 'clickhouse' });
    expect(report.variants.total).toBe(6);
    const inMemory = ReportSchema.parse(JSON.parse(vsm(['analyze', 'fixtures/references/running-example.csv', '--json', '--out', join(out, 'json-memory')]).stdout));
    expect(report.dataQuality.estimatedStarts).toBe(42);
    expect([report.flowEfficiency.startEstimated, report.cycleTimeMs.median]).toEqual([true, inMemory.cycleTimeMs.median]);
    expect(report.flowEfficiency.pooled).toBeCloseTo(inMemory.flowEfficiency.pooled ?? NaN, 12);
    expect(report.steps.map((step) => [step.name, step.activeUnknown, step.startEstimated, step.activeMs.median])).toEqual(
      inMemory.steps.map((step) => [step.name, step.activeUnknown, step.startEstimated, step.activeMs.median]),
    );
    // --no-estimate: elapsed step times only (as --no-estimate in memory), active time and cycle time unknown.
    const noEstimate = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--json', '--no-estimate', '--out', join(out, 'json-no-estimate')]);
    expect([noEstimate.status, noEstimate.stderr]).toEqual([0, '']);
    const elapsed = ReportSchema.parse(JSON.parse(noEstimate.stdout));
    // No start times and none estimated: a data limit the user chose, said as in memory (not an engine limit).
    const elapsedInMemory = ReportSchema.parse(JSON.parse(vsm(['analyze', 'fixtures/references/running-example.csv', '--json', '--no-estimate', '--out', join(out, 'json-memory-no-estimate')]).stdout));
    for (const metric of ['cycleTime', 'flowEfficiency'] as const) {
      expect(elapsed.dataQuality.sufficiency?.[metric], metric).toEqual(elapsedInMemory.dataQuality.sufficiency?.[metric]);
    }
    expect(elapsed.dataQuality.sufficiency?.cycleTime).toMatchObject({ verdict: 'unsupported', reason: expect.stringMatching(/^single-timestamp log: no start times/) });
    expect(elapsed.steps.every((step) => step.activeUnknown)).toBe(true);
    expect(elapsed.findings.biggestDelay?.subject).toEqual({ step: 'decide' });
    expect(elapsed.dataQuality.estimatedStarts).toBe(0);
  });

  it('refuses resource calendars with estimated starts with exit 2 (not pushed down) and takes --as-of with them', () => {
    const config = join(out, 'resources.json');
    writeFileSync(config, JSON.stringify({ resources: { Pete: { calendar: 'UTC Mon-Fri 09:00-17:00' } } }));
    const calendars = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--config', config, '--out', join(out, 'refused-calendar')]);
    expect(calendars.status).toBe(2);
    expect(calendars.stderr).toMatch(/resource calendars .* are not pushed down/);
    // An explicit as-of with estimated starts: cut as in memory, open cases in the cycle time (Kaplan–Meier).
    const asOf = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--as-of', '2011-01-06T00:00:00Z', '--json', '--out', join(out, 'asof-estimated')]);
    expect([asOf.status, asOf.stderr]).toEqual([0, '']);
    const memory = vsm(['analyze', 'fixtures/references/running-example.csv', '--as-of', '2011-01-06T00:00:00Z', '--json', '--out', join(out, 'asof-estimated-memory')]);
    const [mine, theirs] = [ReportSchema.parse(JSON.parse(asOf.stdout)), ReportSchema.parse(JSON.parse(memory.stdout))];
    expect(mine.log.openCases).toBeGreaterThan(0);
    expect([mine.log.openCases, mine.cycleTimeMs.median, mine.cycleTimeMs.censored, mine.dataQuality.estimatedStarts]).toEqual([
      theirs.log.openCases,
      theirs.cycleTimeMs.median,
      theirs.cycleTimeMs.censored,
      theirs.dataQuality.estimatedStarts,
    ]);
    // With --no-estimate the resource calendars are not used by any figure: accepted.
    expect(vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--config', config, '--no-estimate', '--out', join(out, 'calendar-no-estimate')]).status).toBe(0);
  });

  it('takes --as-of on a status log and a single-timestamp activity log (censoring there) and --calendar, and on an activity log with start times', () => {
    const load = vsm(['load', '--engine', 'clickhouse', 'fixtures/jira/paged-changelog', '--source', 'jira', '--table', 'default.jira_asof', '--clickhouse-url', url]);
    expect(load.status).toBe(0);
    const analyze = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.jira_asof', '--clickhouse-url', url, '--as-of', '2024-01-03T00:00:00Z', '--json', '--out', join(out, 'asof')]);
    expect(analyze.stderr).toBe('');
    expect(analyze.status).toBe(0);
    expect(ReportSchema.parse(JSON.parse(analyze.stdout)).log.asOf).toBe('2024-01-03T00:00:00.000Z');
    // A business calendar is pushed down too (durations in working time, docs/clickhouse.md).
    const business = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.jira_asof', '--clickhouse-url', url, '--calendar', 'Europe/Berlin Mon-Fri 09:00-17:00', '--json', '--out', join(out, 'business')]);
    expect(business.stderr).toBe('');
    expect(business.status).toBe(0);
    expect(ReportSchema.parse(JSON.parse(business.stdout)).calendar).toMatchObject({ kind: 'business', timeZone: 'Europe/Berlin', workdayMs: 28_800_000 });
    // A single-timestamp activity log is cut at the as-of as in memory with --no-estimate (docs/clickhouse.md).
    const cut = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--as-of', '2011-01-06T00:00:00Z', '--no-estimate', '--json', '--out', join(out, 'cut')]);
    expect([cut.status, cut.stderr]).toEqual([0, '']);
    const inMemory = vsm(['analyze', 'fixtures/references/running-example.csv', '--as-of', '2011-01-06T00:00:00Z', '--no-estimate', '--json', '--out', join(out, 'cut-memory')]);
    const [cutReport, memoryReport] = [ReportSchema.parse(JSON.parse(cut.stdout)), ReportSchema.parse(JSON.parse(inMemory.stdout))];
    expect(cutReport.log.openCases).toBeGreaterThan(0);
    expect([cutReport.log.openCases, cutReport.leadTimeMs.median, cutReport.steps.map((step) => step.elapsedMs.median)]).toEqual([
      memoryReport.log.openCases,
      memoryReport.leadTimeMs.median,
      memoryReport.steps.map((step) => step.elapsedMs.median),
    ]);
    // An activity log with start times is cut at the as-of too (no longer refused with exit 2): a case with a start
    // not completed by then is left out, as an engine limit (docs/clickhouse.md).
    expect(vsm(['load', '--engine', 'clickhouse', 'fixtures/xes/lifecycle-pairs.xes', '--table', 'default.pairs', '--clickhouse-url', url]).status).toBe(0);
    // (The as-of falls inside order-1's Review, started 2024-03-30T08:00Z and completed 2024-03-31T08:30Z; until stop
    // 32 this test used 2024-01-03, before every event of the log, which is now refused.)
    const timed = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.pairs', '--clickhouse-url', url, '--as-of', '2024-03-31T00:00:00Z', '--json', '--out', join(out, 'timed-asof')]);
    expect(timed.stderr).toBe('');
    expect(timed.status).toBe(0);
    expect(ReportSchema.parse(JSON.parse(timed.stdout)).log.asOf).toBe('2024-03-31T00:00:00.000Z');
    // An as-of before every event is refused as in memory (exit 2, the log's range in the message).
    const early = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--as-of', '2000-01-01', '--json', '--out', join(out, 'early')]);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/^vsm: as-of is before every event in the log · flag --as-of · got 2000-01-01T00:00:00\.000Z; the log's events run from 2010-12-30T/);
  });

  it('judges cases that end the instant they begin (one timestamp on all their events) as in memory: unsupported', () => {
    const instant = join(out, 'instant.csv');
    const rows = ['case:concept:name,concept:name,time:timestamp'];
    for (let c = 0; c < 12; c++) for (const activity of ['Open', 'Work', 'Close']) rows.push(`c${c},${activity},2024-02-${String(1 + c).padStart(2, '0')}T10:00:00Z`);
    writeFileSync(instant, `${rows.join('\n')}\n`);
    expect(vsm(['load', '--engine', 'clickhouse', instant, '--table', 'default.instant', '--clickhouse-url', url]).status).toBe(0);
    const ch = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.instant', '--clickhouse-url', url, '--json', '--out', join(out, 'instant-ch')]);
    const memory = vsm(['analyze', instant, '--json', '--out', join(out, 'instant-memory')]);
    const leadOf = (result: typeof ch) => ReportSchema.parse(JSON.parse(result.stdout)).dataQuality.sufficiency?.leadTime;
    expect(leadOf(ch)).toMatchObject({ verdict: 'unsupported', counts: { casesInstant: 12 } });
    expect(leadOf(ch)?.reason).toBe(leadOf(memory)?.reason);
  });

  it('takes --config steps, trigger and exclude (no longer refused with exit 2) and reports as in memory', () => {
    const configFile = join(out, 'vsm.config.json');
    writeFileSync(configFile, JSON.stringify({ exclude: ['register request'], trigger: { activity: '/^examine/' }, steps: [{ name: 'Decision', members: ['decide'] }] }));
    const ch = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--config', configFile, '--no-estimate', '--json', '--out', join(out, 'config')]);
    expect(ch.stderr).toBe('');
    expect(ch.status).toBe(0);
    const memory = vsm(['analyze', 'fixtures/references/running-example.csv', '--config', configFile, '--no-estimate', '--json', '--out', join(out, 'config-memory')]);
    expect(memory.status).toBe(0);
    const [mine, theirs] = [ReportSchema.parse(JSON.parse(ch.stdout)), ReportSchema.parse(JSON.parse(memory.stdout))];
    const view = (report: typeof mine) => ({
      boundaries: report.boundaries,
      steps: report.steps.map((step) => [step.name, step.visits, step.elapsedMs.median, step.totalDelayMs]),
      lead: [report.leadTimeMs.n, report.leadTimeMs.median, report.leadTimeMs.censored],
      variants: report.variants.total,
    });
    expect(view(mine)).toEqual(view(theirs));
    expect(mine.boundaries.trigger).toBe('first "/^examine/"');
    expect(mine.steps.map((step) => step.name)).toContain('Decision');
    expect(mine.steps.map((step) => step.name)).not.toContain('register request');
  });

  it('writes the same report set as in memory, with credentials from the environment only and nowhere in the output', () => {
    const dir = join(out, 'set');
    const analyze = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url, '--out', dir, '--strict', '--no-estimate'], {
      CLICKHOUSE_USER: TEST_USER,
      CLICKHOUSE_PASSWORD: TEST_PASSWORD,
    });
    // --strict with --no-estimate: no start times, so cycle time and flow efficiency are not supported by the data —
    // exit 1 with the same lines as in memory (the engine's own limits alone never fail --strict: render tests).
    const memory = vsm(['analyze', 'fixtures/references/running-example.csv', '--out', join(out, 'set-memory'), '--strict', '--no-estimate', '--no-html']);
    expect(memory.status).toBe(1);
    expect(analyze.stderr).toBe(memory.stderr);
    expect(analyze.stderr).toMatch(/^strict: cycle time: not supported by this log — single-timestamp log: no start times/);
    expect(analyze.status).toBe(1);
    expect(analyze.stdout).toMatch(/bytes of aggregates came back/);
    const names = readdirSync(dir).sort();
    expect(names).toEqual(['charts', 'map.svg', 'report.html', 'report.json', 'report.md', 'steps.csv']);
    expect(names).not.toContain('report.clickhouse.json');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('cycle time: not supported by this log — single-timestamp log: no start times');
    const everything = [analyze.stdout, analyze.stderr, ...allFiles(dir).map((path) => readFileSync(path, 'utf8'))].join('\n');
    expect(everything).not.toContain(TEST_PASSWORD);
    expect(everything).not.toContain(TEST_USER);
  });

  it('maps a foreign table with a DateTime column through --query and the mapping flags', async () => {
    const client = new ClickHouseHttp({ url: `${url}/` });
    await client.exec(sql`CREATE TABLE default.foreign ENGINE = MergeTree() ORDER BY t AS
      SELECT case_id AS ticket, activity AS step, toDateTime(intDiv(timestamp_ms, 1000)) AS t, resource AS who FROM default.running`);
    const analyze = vsm([
      'analyze', '--engine', 'clickhouse', '--clickhouse-url', url, '--out', out, '--no-estimate',
      '--query', "SELECT * FROM default.foreign WHERE step != 'no such step'",
      '--case', 'ticket', '--activity', 'step', '--timestamp', 't', '--resource', 'who',
    ]);
    expect(analyze.stderr).toBe('');
    expect(analyze.status).toBe(0);
    const report = ReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.log).toMatchObject({ cases: 6, events: 42 });
    expect(report.variants.total).toBe(6);
  });

  it('maps a lifecycle column through --lifecycle (trimmed and lower-cased in SQL that 18.16 parses)', async () => {
    const client = new ClickHouseHttp({ url: `${url}/` });
    // Every event a padded, upper-case "instant": the same log as without the column.
    await client.exec(sql`CREATE TABLE default.foreign_lc ENGINE = MergeTree() ORDER BY t AS
      SELECT case_id AS ticket, activity AS step, timestamp_ms AS t, resource AS who, ' INSTANT ' AS lc FROM default.running`);
    const analyze = vsm([
      'analyze', '--engine', 'clickhouse', '--clickhouse-url', url, '--out', out, '--no-estimate', '--json',
      '--table', 'default.foreign_lc', '--case', 'ticket', '--activity', 'step', '--timestamp', 't', '--resource', 'who', '--lifecycle', 'lc',
    ]);
    expect(analyze.stderr).toBe('');
    expect(analyze.status).toBe(0);
    const report = ReportSchema.parse(JSON.parse(analyze.stdout));
    expect(report.log).toMatchObject({ cases: 6, events: 42 });
    expect(report.variants.total).toBe(6);
  });

  it('refuses a second statement in --query and never prints the password', () => {
    const injected = vsm(['analyze', '--engine', 'clickhouse', '--clickhouse-url', url, '--query', 'SELECT 1; DROP TABLE default.running', '--case', 'a', '--activity', 'b', '--timestamp', 'c']);
    expect(injected.status).toBe(2);
    expect(injected.stderr).toMatch(/more than one statement/);
    const wrong = vsm(['analyze', '--engine', 'clickhouse', '--table', 'default.running', '--clickhouse-url', url], { CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: 'hunter2-secret' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr + wrong.stdout).not.toContain('hunter2-secret');
    expect(wrong.stderr).toMatch(/CLICKHOUSE_USER/);
  });
});
