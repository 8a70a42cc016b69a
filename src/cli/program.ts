import { Command, CommanderError } from 'commander';
import { isVsmError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { makeInspectCommand } from './commands/inspect.js';
import { makeAnalyzeCommand } from './commands/analyze.js';
import { makeCompareCommand } from './commands/compare.js';
import { makeSimulateCommand } from './commands/simulate.js';
import { makePullCommand } from './commands/pull.js';
import { makeLoadCommand } from './commands/clickhouse.js';
import { safeText } from './terminal.js';
import { routeUsageErrors, usageErrorFrom } from './usage-error.js';

/** Builds the `vsm` program. Commander's own exits are overridden so usage errors exit 2, not 1. */
export function makeProgram(): Command {
  const program = new Command('vsm')
    .description('valuestream: measured value stream maps from ticket, CRM, HR and process-mining exports')
    .version(TOOL_VERSION, '-V, --version');
  program.addCommand(makeInspectCommand());
  program.addCommand(makeAnalyzeCommand());
  program.addCommand(makeCompareCommand());
  program.addCommand(makeSimulateCommand());
  program.addCommand(makePullCommand());
  program.addCommand(makeLoadCommand());
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok · 1 findings/rejected rows under --strict · 2 bad input or usage · 3 internal error

Examples:
  $ vsm pull jira --site https://acme.atlassian.net --project SP --out pulls/sp   (credentials: see vsm pull --help)
  $ vsm analyze pulls/sp
  $ vsm inspect helpdesk.csv.gz
  $ vsm analyze helpdesk.csv.gz --out reports/helpdesk
  $ vsm analyze jira.json --source jira --calendar "Europe/Berlin Mon-Fri 09:00-17:00" --json`,
  );
  routeUsageErrors(program);
  return program;
}

/** Runs the program and maps every failure to an exit code; never throws. */
export async function runProgram(argv: string[]): Promise<ExitCodeValue> {
  const program = makeProgram();
  try {
    await program.parseAsync(argv);
    return (process.exitCode as ExitCodeValue | undefined) ?? ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      // `vsm help` asks for help (0); a bare `vsm` (help printed to stderr, exitCode 1) is a usage error (2).
      if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
      const commandPath = (error as CommanderError & { commandPath?: string }).commandPath ?? 'vsm';
      process.stderr.write(`vsm: ${safeText(usageErrorFrom(error, commandPath).message)}\n`);
      return ExitCode.badInput;
    }
    if (isVsmError(error)) {
      process.stderr.write(`vsm: ${safeText(error.message)}\n`);
      return error.code === 'INTERNAL' ? ExitCode.internal : ExitCode.badInput;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`vsm: internal error · ${message}\n· please report this with the command you ran\n`);
    return ExitCode.internal;
  }
}
