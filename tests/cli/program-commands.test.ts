import { describe, expect, it } from 'vitest';
import { commandsFor } from '../../src/cli/program.js';

const ALL = ['inspect', 'analyze', 'compare', 'simulate', 'pull', 'load'];

describe('commandsFor: which command modules a run loads (start-up, docs/benchmarks.md)', () => {
  it('a bare --version loads none', () => {
    expect(commandsFor(['--version'])).toEqual([]);
    expect(commandsFor(['-V'])).toEqual([]);
  });
  it('a named command loads only itself, with or without its --help', () => {
    expect(commandsFor(['analyze', 'x.csv', '--no-html'])).toEqual(['analyze']);
    expect(commandsFor(['pull', 'jira', '--help'])).toEqual(['pull']);
    expect(commandsFor(['load'])).toEqual(['load']);
  });
  it('top-level help, vsm help, an unknown command and anything else load every command, in help order', () => {
    for (const args of [[], ['--help'], ['help', 'analyze'], ['analyse', 'x.csv'], ['--version', 'analyze'], ['toString']]) {
      expect(commandsFor(args), args.join(' ')).toEqual(ALL);
    }
  });
});
