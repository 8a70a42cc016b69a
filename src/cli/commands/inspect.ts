import { Command } from 'commander';
import { readLog } from '../../ingest/read-log.js';
import { buildInspectSummary, type InspectSummary } from '../../ingest/inspect-summary.js';
import { ExitCode } from '../exit-codes.js';
import { addIngestFlags, type IngestFlags, readOptionsFromFlags } from '../ingest-flags.js';
import { makeProgress } from '../progress.js';
import { colorEnabled, makePaint, safeText, textTable } from '../terminal.js';
import { loadStatusClassifier } from '../config-file.js';
import { recordAddress } from '../../contracts/ingest-report.js';

interface InspectFlags extends IngestFlags {
  json?: boolean;
  strict?: boolean;
  config?: string;
  top: string;
}

const MS_PER_DAY = 86_400_000;
/** Ignore reasons listed in the text summary; --json lists all (up to the ingest cap). */
const IGNORED_REASONS_SHOWN = 12;

export function renderInspectText(summary: InspectSummary, top: number, color: boolean): string {
  const paint = makePaint(color);
  const lines: string[] = [];
  const heading = (text: string) => lines.push('', paint.bold(text));
  lines.push(`${paint.bold(safeText(summary.file))}  ${summary.format} (${safeText(summary.formatDetectedBy)}), ${summary.shape} log`);
  const range = summary.timeRange;
  const spanDays = range ? ((Date.parse(range.to) - Date.parse(range.from)) / MS_PER_DAY).toFixed(1) : '—';
  lines.push(
    `${summary.cases.toLocaleString('en-US')} cases · ${summary.events.toLocaleString('en-US')} events · ` +
      `${Object.keys(summary.activities).length} ${summary.shape === 'status' ? 'statuses' : 'activities'} · ` +
      `${summary.resources} resources · ${summary.groups} groups`,
  );
  lines.push(`time range ${range ? `${range.from} → ${range.to} (${spanDays} d)` : '—'}`);
  lines.push(
    `rows read ${summary.rowsRead.toLocaleString('en-US')} = used ${summary.rowsUsed.toLocaleString('en-US')} + rejected ${summary.rowsRejected.toLocaleString('en-US')} + ignored ${summary.rowsIgnored.toLocaleString('en-US')} + duplicates ${summary.duplicatesDropped.toLocaleString('en-US')}`,
  );
  const ignored = Object.entries(summary.ignored);
  if (ignored.length > 0) {
    lines.push(paint.dim(`  ignored: ${ignored.slice(0, IGNORED_REASONS_SHOWN).map(([reason, count]) => `${safeText(reason)} ${count.toLocaleString('en-US')}`).join(' · ')}${ignored.length > IGNORED_REASONS_SHOWN ? ` · … (${ignored.length - IGNORED_REASONS_SHOWN} more reasons in --json)` : ''}`));
  }
  const mappingRows = Object.entries(summary.mapping).map(([field, column]) => [field, safeText(column)]);
  if (mappingRows.length > 0) {
    heading('Mapping');
    lines.push(textTable(['field', 'source'], mappingRows));
  }
  if (summary.encoding || summary.delimiter) {
    lines.push(`encoding ${summary.encoding ?? '—'} · delimiter ${summary.delimiter === '\t' ? '\\t' : (summary.delimiter ?? '—')}`);
  }
  const activities = Object.entries(summary.activities);
  if (summary.statuses.length > 0) {
    heading('Statuses (class · where the class came from)');
    lines.push(
      textTable(
        ['status', 'events', 'class', 'from'],
        summary.statuses.map((status) => [safeText(status.status), summary.activities[status.status] ?? 0, status.statusClass, status.origin]),
      ),
    );
  } else {
    heading(`Activities (top ${Math.min(top, activities.length)} of ${activities.length})`);
    lines.push(textTable(['activity', 'events'], activities.slice(0, top).map(([name, count]) => [safeText(name), count])));
  }
  const lifecycle = Object.entries(summary.lifecycle);
  if (lifecycle.length > 0) {
    heading('Lifecycle');
    lines.push(lifecycle.map(([name, count]) => `${name} ${count.toLocaleString('en-US')}`).join(' · '));
  }
  const rejections = Object.entries(summary.rejections);
  if (rejections.length > 0) {
    heading(paint.yellow('Rejected rows'));
    for (const [reason, group] of rejections) {
      if (!group) continue;
      lines.push(`${reason}: ${group.count.toLocaleString('en-US')}`);
      for (const example of group.examples) {
        lines.push(paint.dim(`  ${safeText(recordAddress(example.file, example.row))}${example.column ? ` column "${safeText(example.column)}"` : ''} · ${safeText(example.message)}`));
      }
    }
  }
  if (summary.notes.length > 0) {
    heading('Open questions and assumptions');
    for (const note of summary.notes) lines.push(`- ${safeText(note)}`);
  }
  return lines.join('\n');
}

export function makeInspectCommand(): Command {
  const command = new Command('inspect')
    .description('read an export and summarise it: format, mapping, cases, events, activities, statuses, rejections')
    .argument('<file>', 'log file (.csv, .csv.gz, .xes, .xes.gz, .json, .jsonocel) or a folder of JSON pages')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--strict', 'exit 1 when any row was rejected')
    .option('--config <file>', 'vsm.config.json (status classes, steps)')
    .option('--top <n>', 'activities to list', '25');
  addIngestFlags(command);
  command.addHelpText(
    'after',
    `
Examples:
  $ vsm inspect helpdesk.csv.gz
  $ vsm inspect export.csv --case "Ticket" --activity "Status" --timestamp "Changed" --timezone Europe/Berlin
  $ vsm inspect jira-export.json --source jira --json`,
  );
  command.action(async (file: string, flags: InspectFlags) => {
    const progress = makeProgress('reading', flags.progress !== false);
    const options = { ...readOptionsFromFlags(flags), onProgress: progress.onProgress };
    const { log, report } = await readLog(file, options).finally(() => progress.stop());
    const classify = flags.config ? loadStatusClassifier(flags.config) : undefined;
    const summary = buildInspectSummary(file, log, report, classify);
    if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else process.stdout.write(`${renderInspectText(summary, Number(flags.top) || 25, colorEnabled())}\n`);
    if (flags.strict && report.rowsRejected > 0) process.exitCode = ExitCode.findings;
  });
  return command;
}
