import type { Command, CommanderError } from 'commander';
import { VsmError } from '../errors.js';

/**
 * Commander's usage errors ("error: unknown option '--frobnicate'\n(Did you mean --format?)") rewritten in the
 * one message shape `what · where · got · fix`, so a usage error reads like every other error (exit 2).
 * Commander's own did-you-mean (edit distance over the visible flags and commands) becomes the fix.
 */
export function usageErrorFrom(error: CommanderError, commandPath: string): VsmError {
  const [firstLine, ...rest] = error.message.replace(/^error:\s*/, '').split('\n');
  const suggestion = rest.join(' ').match(/\(Did you mean (.+?)\?\)/)?.[1];
  const quotes = [...firstLine.matchAll(/'([^']*)'/g)].map((match) => match[1]);
  const help = `run "${commandPath} --help" for usage`;
  const fix = suggestion ? `did you mean ${suggestion}? ${help}` : help;
  const make = (what: string, got: string | undefined, where = commandPath, fixText = fix) =>
    new VsmError({ code: 'BAD_OPTION', what, where, got, fix: fixText });
  switch (error.code) {
    case 'commander.unknownOption':
      return make('unknown option', `"${quotes[0]}"`);
    case 'commander.unknownCommand':
      return make('unknown command', `"${quotes[0]}"`);
    case 'commander.missingArgument':
      return make(`missing argument <${quotes[0]}>`, 'nothing');
    case 'commander.optionMissingArgument':
      return make('option needs a value', `${quotes[0]} with no value`);
    case 'commander.invalidArgument': {
      const allowed = firstLine.match(/Allowed choices are (.+?)\.?$/)?.[1];
      const flag = quotes[0]?.split(' ')[0];
      return make('invalid value', `"${quotes[1] ?? ''}"`, flag ? `${commandPath} flag ${flag}` : commandPath, allowed ? `pass one of: ${allowed}` : fix);
    }
    case 'commander.excessArguments': {
      const counts = firstLine.match(/Expected (\d+) arguments? but got (\d+)/);
      return make('too many arguments', counts ? `${counts[2]} (expected ${counts[1]})` : undefined);
    }
    default:
      return make(firstLine.trim() || 'usage error', undefined);
  }
}

/**
 * Makes `command` and its subcommands throw instead of exiting and stay silent on errors (the caller prints the
 * rewritten message); each thrown CommanderError remembers the command path it came from ("vsm analyze").
 */
export function routeUsageErrors(command: Command, path = command.name()): void {
  command.configureOutput({ outputError: () => undefined });
  command.exitOverride((error) => {
    throw Object.assign(error, { commandPath: path });
  });
  for (const sub of command.commands) routeUsageErrors(sub, `${path} ${sub.name()}`);
}
