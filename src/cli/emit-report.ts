/**
 * Writing a report the same way whichever engine measured it (in memory or --engine clickhouse): the output set
 * (report.json, report.html, map.svg, report.md, steps.csv, charts) atomically, then the terminal summary or the
 * report.json copy on stdout, then `--strict`.
 */
import type { IngestReport } from '../contracts/ingest-report.js';
import type { ReportJson } from '../contracts/report-schema.js';
import { formatDurationMs, formatPercent, groupThousands, makeDurationFormatter } from '../model/units.js';
import { fourAnswers, noFindingShort } from '../render/answers.js';
import { engineLeftUnknown, notSupportedByLog, sufficiencyLines } from '../render/sufficiency.js';
import { writeReport } from '../render/write-report.js';
import type { ActivityTable } from '../vsm/wait-analysis.js';
import { ExitCode } from './exit-codes.js';
import { copyFileToStdout } from './stdout-copy.js';
import { colorEnabled, makePaint, safeText } from './terminal.js';

/**
 * Flow efficiency for the headline: ≈ when starts are estimated, "partial: see above" when the verdict says so,
 * unknown (and why) without active time.
 */
function efficiencyHeadline(report: ReportJson): string {
  const { flowEfficiency } = report;
  if (!flowEfficiency.activeKnown) {
    if (engineLeftUnknown(report, 'flowEfficiency')) return 'unknown (not computed by this engine)';
    // The verdict's reason is printed above; "no active time" is only one of them (a calendar that never works is another).
    return report.dataQuality.sufficiency?.flowEfficiency?.verdict === 'unsupported' ? 'unknown (see above)' : 'unknown (no active time in this log)';
  }
  if (flowEfficiency.startEstimated) return `≈ ${formatPercent(flowEfficiency.pooled)} (estimated start times; --no-estimate to turn off)`;
  const partial = report.dataQuality.sufficiency?.flowEfficiency?.verdict === 'partial';
  return `${formatPercent(flowEfficiency.pooled)}${partial ? ' (partial: see above)' : ''}`;
}

/** An answer with no finding, in the terminal: "none found in this log", or "unknown: <why> (see above)". */
function absentText(short: string): string {
  return short === 'none found' ? 'none found in this log' : `${short} (see above)`;
}

/** The short terminal summary: the four answers, each one line with its number. */
export function renderAnswers(report: ReportJson, color: boolean): string {
  const paint = makePaint(color);
  const { log, leadTimeMs } = report;
  const duration = makeDurationFormatter({ workdayMs: report.calendar.workdayMs });
  const lines = [
    paint.bold(`${safeText(log.name)}: ${groupThousands(log.cases)} cases (${groupThousands(log.openCases)} open), ${groupThousands(log.events)} events`),
    `lead time ${
      notSupportedByLog(report, 'leadTime')
        ? 'unknown (see above)'
        : `${duration(leadTimeMs.median)} median · p85 ${leadTimeMs.p85 === null && leadTimeMs.censored > 0 && engineLeftUnknown(report, 'leadTime') ? 'unknown' : duration(leadTimeMs.p85)}`
    } · flow efficiency ${efficiencyHeadline(report)}`,
    '',
  ];
  if (report.calendar.workdayMs) lines.splice(2, 0, paint.dim(`times in working time: ${report.calendar.description}; 1 wd = one working day of ${formatDurationMs(report.calendar.workdayMs)}`));
  const limits = sufficiencyLines(report);
  if (limits.length > 0) {
    // What the log cannot support comes first, before any number is read (DESIGN §7b).
    lines.splice(1, 0, paint.bold('What this export can and cannot tell'), ...limits.flatMap((l) => [`   ${safeText(l.text)}`, paint.dim(`   fix: ${safeText(l.fix)}`)]), '');
  }
  for (const { answerNumber, heading, finding, metric } of fourAnswers(report)) {
    lines.push(paint.bold(`${answerNumber}. ${heading}`));
    lines.push(`   ${finding ? safeText(finding.statement) : paint.dim(absentText(noFindingShort(report, metric)))}`);
  }
  return lines.join('\n');
}

export interface EmitOptions {
  outDir: string;
  html: boolean;
  /** Print report.json to stdout instead of the summary. */
  json: boolean;
  strict: boolean;
  ingest?: IngestReport;
  activities?: ActivityTable;
  /** Why --strict fails apart from the limits (rows rejected, clamped intervals); null when nothing. */
  strictReason: string | null;
  /** Limits --strict fails on: every sufficiency line in memory; only the data's own limits with --engine clickhouse. */
  strictLimits: { text: string; fix: string }[];
  /** Extra summary lines after the answers (e.g. what crossed the network). */
  footer?: string[];
  /** Called once the files are written, before anything is printed (the CLI clears its progress line). */
  onWritten?: () => void;
}

/** Writes the report set, prints the summary (or report.json with --json) and sets the --strict exit code. */
export async function emitReport(report: ReportJson, options: EmitOptions): Promise<string[]> {
  const written = await writeReport(report, options.outDir, { html: options.html, ingest: options.ingest, activities: options.activities });
  options.onWritten?.();
  if (options.json) copyFileToStdout(written[0]);
  else {
    process.stdout.write(`${renderAnswers(report, colorEnabled())}\n\n`);
    for (const line of options.footer ?? []) process.stdout.write(`${safeText(line)}\n`);
    process.stdout.write(`wrote ${written.map((path) => safeText(path)).join(', ')}\n`);
  }
  if (!options.strict) return written;
  if (options.strictReason !== null) process.stderr.write(`vsm: ${safeText(options.strictReason)}\n`);
  for (const limit of options.strictLimits) process.stderr.write(`strict: ${safeText(limit.text)} · fix: ${safeText(limit.fix)}\n`);
  if (options.strictReason !== null || options.strictLimits.length > 0) process.exitCode = ExitCode.findings;
  return written;
}
