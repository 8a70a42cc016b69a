import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import type { CalendarSpec } from '../../calendar/calendar-spec.js';
import { VsmError } from '../../errors.js';
import { readLog } from '../../ingest/read-log.js';
import type { VsmConfig } from '../../model/config-schema.js';
import { formatDurationMs } from '../../model/units.js';
import { renderCompareHtml } from '../../render/compare-html.js';
import { renderCompareMarkdown } from '../../render/compare-markdown.js';
import { compareVerdict } from '../../render/compare-verdict.js';
import { assertWritableOutput, writeOutputSet } from '../../render/output-set.js';
import { writeFiles } from '../../render/write-report.js';
import { type CompareSideInput, compareAnalyses, comparePeriods } from '../../vsm/compare.js';
import { casesInPeriod, parsePeriods, type Period, type PeriodBy } from '../../vsm/compare-periods.js';
import type { CompareJson } from '../../contracts/compare-schema.js';
import { formatChange, formatLevel, formatP, metricLabel } from '../../vsm/compare-statement.js';
import { analyzeLog } from '../../vsm/analyze.js';
import { addIngestFlags, type IngestFlags, readOptionsFromFlags } from '../ingest-flags.js';
import { addLogScopeFlags, type LogScopeFlags, logScopeFromFlags } from '../log-scope-flags.js';
import { warnIfTooLarge } from '../memory-check.js';
import { makeProgress } from '../progress.js';
import { colorEnabled, makePaint, safeText, textTable } from '../terminal.js';
import { assertUsableEvents } from '../usable-events.js';
import { workdayMsOf } from '../../vsm/analyze.js';
import { CALENDAR_24X7 } from '../../calendar/calendar-spec.js';

export interface CompareFlags extends IngestFlags, LogScopeFlags {
  periods?: string;
  by: PeriodBy;
  seed: string;
  resamples: string;
  json?: boolean;
  out?: string;
}

/**
 * Most bootstrap resamples per interval. Each metric's interval and permutation test costs resamples × cases
 * draws; 100,000 gives a p-value resolution of 1e-5, far below any adjusted significance level, and keeps a
 * 50-metric comparison of 10,000 cases within minutes. More is refused (issue 11 item 11), like --runs.
 */
export const MAX_RESAMPLES = 100_000;

function integerFlag(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
    throw new VsmError({ code: 'BAD_OPTION', what: `${flag} must be a whole number ${range}`, where: `flag ${flag}`, got: `"${text}"`, fix: `pass e.g. ${flag} 1000` });
  }
  return value;
}

/** Zone whose local midnights bound the periods and weeks: the business calendar's, else UTC. */
function zoneOf(calendar: CalendarSpec | undefined, config: VsmConfig | undefined): string | undefined {
  const spec = calendar ?? config?.calendar;
  return spec?.kind === 'business' ? spec.timeZone : undefined;
}

/** The terminal form: one table row per metric, then the statements grouped by verdict, then the trend. */
export function renderCompare(result: CompareJson, color: boolean): string {
  const paint = makePaint(color);
  const format = { workdayMs: result.workdayMs ?? null };
  const [before, after] = result.periods;
  const byText = result.by === 'file' ? 'two files' : result.by === 'completed' ? 'by completion time' : 'by trigger time';
  const lines = [
    paint.bold(`${safeText(before.label)} (${before.cases.toLocaleString('en-US')} cases) → ${safeText(after.label)} (${after.cases.toLocaleString('en-US')} cases), ${byText}`),
    '',
  ];
  const verdict = compareVerdict(result);
  // A period without a case compared nothing: said first, not only under the table.
  if (verdict.kind === 'nothing-compared') lines.push(paint.yellow(safeText(verdict.text)), '');
  const rows = result.metrics.map((metric) => [
    safeText(metricLabel(metric)),
    formatLevel(metric.before, metric.unit, format),
    formatLevel(metric.after, metric.unit, format),
    formatChange(metric.diff, metric.unit, format),
    metric.ciLow === null ? '—' : `${formatChange(metric.ciLow, metric.unit, format)} … ${formatChange(metric.ciHigh, metric.unit, format)}`,
    metric.thin ? 'thin' : formatP(metric.pAdjusted),
    metric.significant ? 'significant' : metric.thin ? `n ${metric.nBefore}/${metric.nAfter}` : '',
  ]);
  lines.push(textTable(['metric (median)', 'before', 'after', 'change', '95 % CI of change', 'p adj.', ''], rows));
  const significant = result.metrics.filter((metric) => metric.significant);
  lines.push('', paint.bold(`Significant changes (${significant.length} of ${result.summary.tested} tested)`));
  if (verdict.kind === 'no-change') lines.push('   no significant change');
  else if (verdict.kind !== 'changes') lines.push(`   ${paint.yellow(safeText(verdict.text))}`);
  for (const metric of significant) lines.push(`   ${safeText(metric.statement)}`);
  const thin = result.metrics.filter((metric) => metric.thin);
  if (thin.length > 0) lines.push('', paint.bold('Thin evidence (n < 30, not tested)'), ...thin.map((metric) => `   ${safeText(metric.statement)}`));
  const { trend } = result;
  lines.push('', paint.bold('Weekly median lead time (XmR chart, limits from the before weeks)'));
  if (trend.centerMs === null) lines.push('   fewer than 2 before weeks: no limits');
  else lines.push(`   center ${formatDurationMs(trend.centerMs, format)} · limits ${formatDurationMs(trend.lowerMs, format)} … ${formatDurationMs(trend.upperMs, format)}`);
  const signals = trend.weeks.filter((week) => week.signal !== null);
  for (const week of signals) lines.push(`   ${week.period} week of ${week.weekStart}: ${formatDurationMs(week.medianLeadMs, format)} (${week.cases} cases), ${week.signal} the limits`);
  if (trend.centerMs !== null && signals.length === 0) lines.push('   every week within the limits');
  lines.push('', ...result.notes.map((note) => paint.dim(`note: ${safeText(note)}`)));
  return lines.join('\n');
}

export function makeCompareCommand(): Command {
  const command = new Command('compare')
    .description('compare two periods of one log (or two logs): per-step waits and work, lead time, rates, with significance')
    .argument('<file>', 'log file (the before log when a second file is given)')
    .argument('[file2]', 'a second log to compare against the first (same config)')
    .option('--periods <before,after>', 'two periods: 2024-Q3,2024-Q4 · 2024-07,2024-08 · 2024-07-01..2024-09-30,2024-10-01..2024-12-31')
    .addOption(new Option('--by <time>', 'assign cases to periods by outcome (completed) or trigger (started) time').choices(['completed', 'started']).default('completed'));
  addLogScopeFlags(command, '24x7 (default) or "<IANA zone> <days> <hh:mm-hh:mm>"; its zone also bounds the periods')
    .option('--seed <n>', 'seed of the bootstrap intervals', '42')
    .option('--resamples <n>', 'bootstrap resamples per interval (intervals of periods with at most 1,000 values each)', '1000')
    .option('--json', 'print compare.json to stdout instead of the table')
    .option('--out <dir>', 'also write compare.json, compare.md and compare.html into this folder');
  addIngestFlags(command);
  command.addHelpText(
    'after',
    `
Examples:
  $ vsm compare helpdesk.csv --periods 2024-Q3,2024-Q4
  $ vsm compare jira.json --source jira --periods 2024-07-01..2024-09-30,2024-10-01..2024-12-31 --by started --json
  $ vsm compare before.csv after.csv --config vsm.config.json --out reports/compare`,
  );
  command.action(async (file: string, file2: string | undefined, flags: CompareFlags) => {
    const { config, calendar, asOfMs } = await logScopeFromFlags(flags);
    const seed = integerFlag(flags.seed, '--seed', 0);
    const resamples = integerFlag(flags.resamples, '--resamples', 100, MAX_RESAMPLES);
    const timeZone = zoneOf(calendar, config);
    const periods: [Period, Period] | undefined = flags.periods !== undefined ? parsePeriods(flags.periods, timeZone) : undefined;
    if (!periods && file2 === undefined) {
      throw new VsmError({ code: 'BAD_OPTION', what: 'nothing to compare', where: 'flag --periods', got: 'one file and no --periods', fix: 'pass --periods 2024-Q3,2024-Q4 or a second file' });
    }
    if (flags.out !== undefined) assertWritableOutput(flags.out);
    const readOptions = readOptionsFromFlags(flags);
    const analyzeFile = async (path: string) => {
      warnIfTooLarge(path);
      const progress = makeProgress(`reading ${basename(path)}`, flags.progress !== false);
      const read = await readLog(path, { ...readOptions, onProgress: progress.onProgress }).finally(() => progress.stop());
      assertUsableEvents(read, path);
      // Recorded times only: compare has no way to label estimated active time (docs/wait-causes.md).
      return analyzeLog(read.log, read.report, { logName: basename(path), config, calendar, asOfMs, seed, estimateStarts: false }).reconstruction;
    };
    const workdayMs = workdayMsOf(calendar ?? config?.calendar ?? CALENDAR_24X7);
    const options = { seed, resamples, timeZone, workdayMs };
    let result: CompareJson;
    if (file2 === undefined) {
      result = comparePeriods(await analyzeFile(file), periods as [Period, Period], { ...options, by: flags.by, source: basename(file) });
    } else {
      const sides = await Promise.all(
        [file, file2].map(async (path, k): Promise<CompareSideInput> => {
          const reconstruction = await analyzeFile(path);
          const period = periods?.[k];
          return {
            ...reconstruction,
            caseMask: period ? casesInPeriod(reconstruction.cases, period, flags.by) : undefined,
            label: period ? `${basename(path)} ${period.label}` : basename(path),
            source: basename(path),
            period,
          };
        }),
      );
      result = compareAnalyses(sides[0], sides[1], { ...options, by: periods ? flags.by : 'file' });
    }
    if (flags.out) {
      const files = new Map([
        ['compare.json', `${JSON.stringify(result, null, 2)}\n`],
        ['compare.md', renderCompareMarkdown(result)],
        ['compare.html', renderCompareHtml(result, { workdayMs })],
      ]);
      await writeOutputSet(flags.out, { ownedNames: [...files.keys()] }, (tempDir) => writeFiles(tempDir, files));
    }
    if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${renderCompare(result, colorEnabled())}\n${flags.out ? `\nwrote ${['compare.json', 'compare.md', 'compare.html'].map((name) => safeText(join(flags.out ?? '', name))).join(', ')}\n` : ''}`);
  });
  return command;
}
