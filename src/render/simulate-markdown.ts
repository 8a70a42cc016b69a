import { formatDurationMs, formatPercent } from '../model/units.js';
import type { SimulateJson } from '../contracts/simulate-schema.js';
import { removedSteps } from './change-marks.js';
import { runsLabel } from './simulate-runs.js';
import { escapeMarkdown as md } from './escape.js';

type RunInterval = { estimate: number; ciLow: number; ciHigh: number } | null | undefined;

/**
 * simulate.md: the statement, the changes, the before/after table with 95 % run intervals, the workload shift
 * (bottleneck moves in bold) and links to map.svg and future-map.svg. Every data string escaped.
 */
export function renderSimulateMarkdown(simulate: SimulateJson, options: { workdayMs?: number | null } = {}): string {
  const fmt = (ms: number) => formatDurationMs(ms, { workdayMs: options.workdayMs ?? null });
  const interval = (value: RunInterval, format: (n: number) => string) => (value ? `${format(value.estimate)} (${format(value.ciLow)} … ${format(value.ciHigh)})` : '—');
  const signed = (format: (n: number) => string) => (n: number) => `${n < 0 ? '−' : n > 0 ? '+' : '±'}${format(Math.abs(n))}`;
  const { before, after, difference, workload } = simulate;
  const lines = [
    `# Simulated future state: ${md(simulate.log.name)}`,
    '',
    `**${md(simulate.statement)}**`,
    '',
    ...(simulate.changes.length === 0 ? ['- no change (baseline check)'] : simulate.changes.map((change) => `- ${md(change.description)} (${md(change.spec)})`)),
    '',
    '## Lead time before and after',
    '',
    `Estimate over ${md(runsLabel(simulate))}, central 95 % of runs in brackets.`,
    '',
    '| | before | after | difference |',
    '|---|---|---|---|',
    `| lead time median | ${interval(before.leadTimeMs?.median, fmt)} | ${interval(after.leadTimeMs?.median, fmt)} | ${interval(difference.leadTimeMedianMs, signed(fmt))} |`,
    `| lead time p85 | ${interval(before.leadTimeMs?.p85, fmt)} | ${interval(after.leadTimeMs?.p85, fmt)} | ${interval(difference.leadTimeP85Ms, signed(fmt))} |`,
    `| lead time p95 | ${interval(before.leadTimeMs?.p95, fmt)} | ${interval(after.leadTimeMs?.p95, fmt)} | ${interval(difference.leadTimeP95Ms, signed(fmt))} |`,
    `| flow efficiency | ${interval(before.flowEfficiency, formatPercent)} | ${interval(after.flowEfficiency, formatPercent)} | ${interval(difference.flowEfficiency, signed((ratio) => `${(ratio * 100).toFixed(1)} pp`))} |`,
    '',
    `## Workload shift per ${workload.level === 'group' ? 'team' : 'person'}`,
    '',
  ];
  if (!workload.activeKnown) lines.push('Active time is unknown in this log, so the workload shift cannot be measured.');
  else {
    if (workload.movesBottleneck) lines.push(`**Moves the bottleneck:** ${md(workload.gainingOwners.join(', '))} gain more than 10 % active work while total active work does not fall.`, '');
    lines.push('| owner | active before | active after | shift |', '|---|---|---|---|');
    for (const owner of workload.owners) {
      const shift = owner.shift === null ? 'new' : signed(formatPercent)(owner.shift);
      const name = workload.gainingOwners.includes(owner.owner) ? `**${md(owner.owner)}**` : md(owner.owner);
      lines.push(`| ${name} | ${fmt(owner.activeMsBefore)} | ${fmt(owner.activeMsAfter)} | ${shift} |`);
    }
  }
  const removed = removedSteps(simulate);
  lines.push(
    '',
    '## Current and future maps',
    '',
    `Changed steps: ${simulate.changedSteps.length > 0 ? md(simulate.changedSteps.join(', ')) : 'none'}${removed.length > 0 ? ` (removed or merged away: ${md(removed.join(', '))})` : ''}.`,
    '',
    '![Current-state value stream map](map.svg)',
    '',
    '![Simulated future-state value stream map, changed steps framed in violet](future-map.svg)',
  );
  if (simulate.notes.length > 0) lines.push('', '## Notes', '', ...simulate.notes.map((note) => `- ${md(note)}`));
  lines.push('');
  return lines.join('\n');
}
