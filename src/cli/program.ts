import { Command, CommanderError } from 'commander';
import { isVsmError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { safeText } from './terminal.js';
import { sourceMappedStack } from './source-stack.js';
import { routeUsageErrors, usageErrorFrom } from './usage-error.js';

/**
 * The subcommands in help order, each module imported only when its command is built: `vsm analyze …` loads the
 * analyze command's code and not the pull, compare or simulate commands', `vsm --version` none (docs/benchmarks.md,
 * "CLI start-up, bundled").
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  inspect: async () => (await import('./commands/inspect.js')).makeInspectCommand(),
  analyze: async () => (await import('./commands/analyze.js')).makeAnalyzeCommand(),
  compare: async () => (await import('./commands/compare.js')).makeCompareCommand(),
  simulate: async () => (await import('./commands/simulate.js')).makeSimulateCommand(),
  pull: async () => (await import('./commands/pull.js')).makePullCommand(),
  load: async () => (await import('./commands/clickhouse.js')).makeLoadCommand(),
};

/**
 * The subcommands `args` (argv after node and the script) can reach: the one it names first, none for a bare
 * `--version`, every one otherwise (top-level help, `vsm help …`, an unknown command's did-you-mean).
 */
export function commandsFor(args: readonly string[]): string[] {
  const first = args[0];
  if (args.length === 1 && (first === '--version' || first === '-V')) return [];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  return Object.keys(COMMANDS);
}

/**
 * Builds the `vsm` program with the subcommands `names` (default: all). Commander's own exits are overridden so
 * usage errors exit 2, not 1.
 */
export async function makeProgram(names: readonly string[] = Object.keys(COMMANDS)): Promise<Command> {
  const program = new Command('vsm')
    .description('valuestream: measured value stream maps from ticket, CRM, HR and process-mining exports')
    .version(TOOL_VERSION, '-V, --version');
  // One after another, so the modules evaluate in the same order on every run.
  for (const name of names) program.addCommand(await COMMANDS[name]());
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
  const program = await makeProgram(commandsFor(argv.slice(2)));
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
    const message = error instanceof Error ? sourceMappedStack(error.stack ?? error.message) : String(error);
    process.stderr.write(`vsm: internal error · ${message}\n· please report this with the command you ran\n`);
    return ExitCode.internal;
  }
}
