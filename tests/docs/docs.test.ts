/**
 * The docs cannot drift from the binary or from each other: every command and flag in `vsm --help` and each
 * `vsm <command> --help` is in docs/commands.md, and every relative link in README.md and docs/*.md resolves to a
 * file (and, for a Markdown target with `#anchor`, to one of its headings).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../cli/run-cli.js';
import { headingAnchors, readText, relativeLinks } from './docs-links.js';

const COMMANDS_MD = join(ROOT, 'docs/commands.md');

function helpText(args: string[]): string {
  const result = runCli([...args, '--help']);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** Command names listed under "Commands:" in the top-level help (commander's layout: two spaces, then the name). */
function commandNames(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((match) => match[1]).filter((name) => name !== 'help');
}

const flagsIn = (help: string): string[] => [...new Set([...help.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((match) => match[0]))].sort();

describe('docs/commands.md covers the CLI', () => {
  const commandsMd = readText(COMMANDS_MD);
  const topHelp = helpText([]);
  const commands = commandNames(topHelp);

  it('finds the commands in vsm --help (the parser is not silently empty)', () => {
    expect(commands).toEqual(expect.arrayContaining(['inspect', 'analyze', 'compare', 'simulate']));
  });

  it('names every command as `vsm <command>`', () => {
    const missing = commands.filter((name) => !commandsMd.includes(`vsm ${name}`));
    expect(missing, `add these commands to docs/commands.md`).toEqual([]);
  });

  it('names every flag of vsm --help and of each vsm <command> --help', () => {
    const missing: string[] = [];
    for (const args of [[], ...commands.map((name) => [name])]) {
      for (const flag of flagsIn(helpText(args))) {
        if (!new RegExp(`\`[^\`]*${flag}(?![\\w-])`).test(commandsMd)) missing.push(`${['vsm', ...args].join(' ')} ${flag}`);
      }
    }
    expect(missing, 'document these flags (in backticks) in docs/commands.md').toEqual([]);
  });
});

function markdownFiles(): string[] {
  const docs = join(ROOT, 'docs');
  const inDocs = readdirSync(docs).filter((name) => name.endsWith('.md')).map((name) => join(docs, name));
  return [join(ROOT, 'README.md'), ...inDocs];
}

describe('links in README.md and docs/*.md resolve', () => {
  for (const file of markdownFiles()) {
    it(relative(ROOT, file), () => {
      const broken: string[] = [];
      const text = readText(file);
      for (const link of relativeLinks(text)) {
        const [pathPart, anchor] = link.split('#', 2) as [string, string | undefined];
        const target = pathPart === '' ? file : join(dirname(file), decodeURIComponent(pathPart));
        if (!existsSync(target)) {
          broken.push(`${link} (no file ${relative(ROOT, target)})`);
          continue;
        }
        if (anchor && target.endsWith('.md') && statSync(target).isFile() && !headingAnchors(readText(target)).has(anchor)) {
          broken.push(`${link} (no heading #${anchor} in ${relative(ROOT, target)})`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});

describe('the link helpers (so the link test can fail)', () => {
  it('finds relative links outside code and computes GitHub anchors', () => {
    const markdown = '# Exit codes\n## `vsm analyze <file>` — measure it\n[a](docs/x.md#y) [b](https://e.org) `[c](no.md)`\n```\n[d](no.md)\n```\n';
    expect(relativeLinks(markdown)).toEqual(['docs/x.md#y']);
    // "`vsm analyze <file>` — measure it": backticks, <, > and — dropped; spaces kept as hyphens.
    expect([...headingAnchors(markdown)]).toEqual(['exit-codes', 'vsm-analyze-file--measure-it']);
  });
});

describe('docs/README.md indexes every page in docs/', () => {
  it('links each docs/*.md (a new page is added to the index when it lands)', () => {
    const index = readText(join(ROOT, 'docs/README.md'));
    const listed = new Set(relativeLinks(index).map((link) => link.split('#')[0]));
    const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md') && name !== 'README.md');
    expect(pages.filter((page) => !listed.has(page))).toEqual([]);
  });
});
