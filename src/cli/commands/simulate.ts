import { basename } from 'node:path';
import { Command } from 'commander';
import { VsmError } from '../../errors.js';
import { readLog } from '../../ingest/read-log.js';
import { formatPercent, makeDurationFormatter } from '../../model/units.js';
import { renderSimulateFiles } from '../../render/write-simulate.js';
import { assertWritableOutput, writeOutputSet } from '../../render/output-set.js';
import { writeFiles } from '../../render/write-report.js';
import { analyzeLog } from '../../vsm/analyze.js';
import { CHANGE_KINDS, type ChangeKind, type ChangeRequest, DEFAULT_RUNS, SIMULATE_METHODS, type SimulateMethodChoice, simulateFutureState } from '../../vsm/simulate.js';
import { GAUSSIAN_MIN_CASES } from '../../vsm/simulate-gaussian.js';
import type { SimulateJson } from '../../contracts/simulate-schema.js';
import { addIngestFlags, type IngestFlags, readOptionsFromFlags } from '../ingest-flags.js';
import { addLogScopeFlags, type LogScopeFlags, logScopeFromFlags } from '../log-scope-flags.js';
import { warnIfTooLarge } from '../memory-check.js';
import { makePhaseProgress, makeProgress } from '../progress.js';
import { loopReporter } from '../../vsm/analyze-progress.js';
import { colorEnabled, makePaint, safeText, textTable } from '../terminal.js';
import { assertUsableEvents } from '../usable-events.js';

export interface SimulateFlags extends IngestFlags, LogScopeFlags {
  runs: string;
  method: string;
  seed: string;
  reduceWait: string[];
  wipLimit: string[];
  merge: string[];
  removeHandoff: string[];
  cutRework: string[];
  capacity: string[];
  json?: boolean;
  out?: string;
}

const FLAG_KEYS: Record<ChangeKind, keyof SimulateFlags> = {
  'reduce-wait': 'reduceWait',
  'wip-limit': 'wipLimit',
  merge: 'merge',
  'remove-handoff': 'removeHandoff',
  'cut-rework': 'cutRework',
  capacity: 'capacity',
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Fewest runs --runs takes (the interval is read off the runs' 2.5th and 97.5th percentiles). */
const MIN_RUNS = 100;

function integerFlag(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new VsmError({ code: 'BAD_OPTION', what: `${flag} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`, where: `flag ${flag}`, got: `"${text}"`, fix: `pass e.g. ${flag} ${flag === '--runs' ? DEFAULT_RUNS : 42}` });
  }
  return value;
}

function methodFlag(text: string): SimulateMethodChoice {
  const method = SIMULATE_METHODS.find((name) => name === text);
  if (method === undefined) {
    throw new VsmError({ code: 'BAD_OPTION', what: `--method must be one of ${SIMULATE_METHODS.join(', ')}`, where: 'flag --method', got: `"${text}"`, fix: 'pass e.g. --method monte-carlo to resample the cases however many there are' });
  }
  return method;
}

const interval = (value: { estimate: number; ciLow: number; ciHigh: number } | null | undefined, format: (n: number) => string): string =>
  value ? `${format(value.estimate)} (${format(value.ciLow)} … ${format(value.ciHigh)})` : '—';

/** The terminal form: the statement, before/after table, workload shift, changed steps, notes. */
export function renderSimulation(result: SimulateJson, color: boolean): string {
  const format = { workdayMs: result.workdayMs ?? null };
  const duration = makeDurationFormatter(format);
  const paint = makePaint(color);
  const lines = [paint.bold(`${safeText(result.log.name)}: ${result.changes.length === 0 ? 'no change (baseline check)' : result.changes.map((change) => safeText(change.description)).join('; ')}`), ''];
  lines.push(safeText(result.statement), '');
  const row = (label: string, pick: (state: SimulateJson['before']) => string) => [label, pick(result.before), pick(result.after)];
  lines.push(
    textTable(
      [`lead time (95 % of ${result.method === 'monte-carlo' ? 'runs' : 'approximated runs'})`, 'before', 'after'],
      [
        row('median', (state) => interval(state.leadTimeMs?.median, duration)),
        row('p85', (state) => interval(state.leadTimeMs?.p85, duration)),
        row('p95', (state) => interval(state.leadTimeMs?.p95, duration)),
        row('flow efficiency', (state) => interval(state.flowEfficiency, formatPercent)),
      ],
    ),
  );
  if (result.workload.activeKnown) {
    lines.push('', paint.bold(`Active work per ${result.workload.level === 'group' ? 'team' : 'person'}`));
    const owners = result.workload.owners.slice(0, 15).map((owner) => [
      safeText(owner.owner),
      duration(owner.activeMsBefore),
      duration(owner.activeMsAfter),
      owner.shift === null ? 'new' : `${owner.shift > 0 ? '+' : owner.shift < 0 ? '−' : ''}${formatPercent(Math.abs(owner.shift))}`,
      result.workload.gainingOwners.includes(owner.owner) ? (result.workload.movesBottleneck ? 'gains work: moves the bottleneck' : 'gains work') : '',
    ]);
    lines.push(textTable(['owner', 'before', 'after', 'shift', ''], owners));
  }
  if (result.changedSteps.length > 0) lines.push('', `changed steps: ${result.changedSteps.map(safeText).join(', ')}`);
  lines.push('', ...result.notes.map((note) => paint.dim(`note: ${safeText(note)}`)));
  return lines.join('\n');
}

export function makeSimulateCommand(): Command {
  const command = new Command('simulate')
    .description('future state by resampling the measured cases: lead time before and after a change, with the workload shift per owner')
    .argument('<file>', 'log file or folder of JSON pages');
  addLogScopeFlags(command, '24x7 (default) or "<IANA zone> <days> <hh:mm-hh:mm>"')
    .option('--runs <n>', 'runs: resamples of the closed cases, or draws from their normal approximation (--method)', String(DEFAULT_RUNS))
    .option(
      '--method <m>',
      `how runs are drawn: monte-carlo (resample the closed cases), normal-approximation (draw from the resampling's normal approximation: seconds instead of minutes on large logs) or auto (the approximation from ${GAUSSIAN_MIN_CASES.toLocaleString('en-US')} closed cases)`,
      'auto',
    )
    .option('--seed <n>', 'seed of the resampling', '42')
    .option('--reduce-wait <step:pct>', 'cut a step\'s waiting time (queue, waiting, blocked) by pct; repeatable', collect, [])
    .option('--wip-limit <step:n>', "cap the step's queue at n cases (Little's law); repeatable", collect, [])
    .option('--merge <stepA+stepB>', "merge B into A: no queue between them, A's owner does B's work; repeatable", collect, [])
    .option('--remove-handoff <ownerA>ownerB>', 'A keeps the work it now hands to B; the wait after the handoff goes; repeatable', collect, [])
    .option('--cut-rework <from>to:pct>', 'remove the from→to rework loop for pct of the cases that take it', collect, [])
    .option('--capacity <step:±pct>', "change a step's capacity: its queue scales by 1/(1+pct); repeatable", collect, [])
    .option('--json', 'print simulate.json to stdout instead of the summary')
    .option('--out <dir>', 'also write simulate.json, simulate.html, simulate.md, map.svg (current) and future-map.svg into this folder');
  addIngestFlags(command);
  command.addHelpText(
    'after',
    `
Examples:
  $ vsm simulate helpdesk.csv --reduce-wait "Review:50"
  $ vsm simulate helpdesk.csv --wip-limit "Fix:10" --cut-rework "Review>Investigate:50" --runs 20000 --seed 7
  $ vsm simulate helpdesk.csv --merge "Fix+Review" --json        # flagged when it only moves work to another team`,
  );
  command.action(async (file: string, flags: SimulateFlags) => {
    const { config, calendar, asOfMs } = await logScopeFromFlags(flags);
    // At least 100 runs, as compare's --resamples: the 2.5th and 97.5th percentiles of a handful of runs are their
    // extremes, and a 95 % interval read off 1 run has no width at all.
    const runs = integerFlag(flags.runs, '--runs', MIN_RUNS, 1_000_000);
    const seed = integerFlag(flags.seed, '--seed', 0, 2 ** 32 - 1);
    const method = methodFlag(flags.method);
    const requests: ChangeRequest[] = CHANGE_KINDS.flatMap((kind) => (flags[FLAG_KEYS[kind]] as string[]).map((spec) => ({ kind, spec })));
    if (flags.out !== undefined) assertWritableOutput(flags.out);
    warnIfTooLarge(file);
    const progress = makeProgress('reading', flags.progress !== false);
    const read = await readLog(file, { ...readOptionsFromFlags(flags), onProgress: progress.onProgress }).finally(() => progress.stop());
    assertUsableEvents(read, file);
    const logName = basename(file);
    // The analysis and the runs draw one progress line (at 5 M events the runs alone take minutes).
    const phases = makePhaseProgress('simulating', flags.progress !== false);
    let result: ReturnType<typeof simulateFutureState>;
    let report: ReturnType<typeof analyzeLog>['report'];
    try {
      // Recorded times only: simulated runs would carry estimated active time without its label (docs/wait-causes.md).
      const analysis = analyzeLog(read.log, read.report, { logName, config, calendar, asOfMs, seed, estimateStarts: false, onPhase: phases.onPhase });
      report = analysis.report;
      phases.onPhase?.('runs', 0, 0);
      const onRuns = loopReporter(phases.onPhase, 'runs');
      result = simulateFutureState(analysis.reconstruction, requests, { logName, runs, seed, method, currentSteps: report.steps, workdayMs: report.calendar.workdayMs, ...(onRuns ? { onRuns } : {}) });
    } finally {
      phases.stop();
    }
    const written: string[] = [];
    if (flags.out) {
      const files = renderSimulateFiles(report, result);
      written.push(...(await writeOutputSet(flags.out, { ownedNames: [...files.keys()] }, (tempDir) => writeFiles(tempDir, files))));
    }
    if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${renderSimulation(result, colorEnabled())}\n${written.length > 0 ? `\nwrote ${written.map(safeText).join(', ')}\n` : ''}`);
  });
  return command;
}
