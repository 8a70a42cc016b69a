import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportFolderName } from '../../src/cli/report-folder-name.js';
import { BIN, ROOT, runCli } from './run-cli.js';

const TICKETS = join(ROOT, 'fixtures/cli/tickets.csv');
const SHAPE = /^vsm: [^·\n]+ · --out [^·\n]+ · got [^·\n]+ · [^·\n]+\n$/;

describe('--out that cannot be written is exit 2 in the usual shape, never a stack or a hang (issue 11 item 8)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-out-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder');
  const cases: Array<[string, string, RegExp]> = [
    ['an existing file', file, /output path is not a folder/],
    ['a path below a file (ENOTDIR)', join(file, 'sub'), /output path is not a folder/],
    ['a folder below /proc/self', '/proc/self/x', /no permission|cannot write/],
  ];
  for (const [label, out, what] of cases) {
    it(`${label}: analyze, compare and simulate refuse it before reading the log`, () => {
      for (const args of [['analyze', TICKETS], ['compare', TICKETS, '--periods', '2024-Q1,2024-Q2'], ['simulate', TICKETS]]) {
        const result = runCli([...args, '--out', out]);
        expect(result.status, `${args[0]} --out ${out}`).toBe(2);
        expect(result.stderr).toMatch(SHAPE);
        expect(result.stderr).toMatch(what);
        expect(result.stdout).toBe('');
      }
    });
  }
  // Root ignores permissions: as root the run drops to uid/gid 65534 (nobody) with setpriv; without it, skip.
  const root = process.getuid?.() === 0;
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
  it.skipIf(root && setpriv === undefined)('a read-only folder (EACCES), as a user without write permission', () => {
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly);
    chmodSync(dir, 0o755);
    chmodSync(readOnly, 0o555);
    const args = [BIN, 'analyze', TICKETS, '--out', join(readOnly, 'report'), '--no-html'];
    const result = root
      ? spawnSync(setpriv as string, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } })
      : spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
    // As nobody the checkout itself must be readable (a 0700 parent makes node fail to load the CLI: exit 1).
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toBe(`vsm: no permission to write the output folder · --out ${join(readOnly, 'report')} · got EACCES on ${readOnly} · pass --out with a folder you can write, or change its permissions\n`);
  });
});

function spawnCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', CI: '1' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stderr })));
  return { child, done };
}

describe('report folders are all or nothing (issue 11 item 12)', () => {
  it('a run killed after report.json reached its temporary folder leaves the previous set whole; the next run cleans up', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'vsm-kill-'));
    const out = join(parent, 'report');
    expect(runCli(['analyze', TICKETS, '--out', out]).status).toBe(0);
    const before = Object.fromEntries(readdirSync(out).filter((name) => name !== 'charts').map((name) => [name, readFileSync(join(out, name), 'utf8')]));
    const demo = join(parent, 'demo.csv.gz');
    cpSync(join(ROOT, 'fixtures/demo/helpdesk.csv.gz'), demo);
    const { child, done } = spawnCli(['analyze', demo, '--out', out]);
    // Poll for the temporary sibling holding report.json: the HTML and charts are still being rendered then.
    const deadline = Date.now() + 60_000;
    let killed = false;
    while (!killed && Date.now() < deadline) {
      const temp = readdirSync(parent).find((name) => name.startsWith('.report.vsm-tmp-'));
      if (temp && existsSync(join(parent, temp, 'report.json'))) {
        child.kill('SIGKILL');
        killed = true;
      } else await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ended = await done;
    expect(killed).toBe(true);
    expect(ended.signal).toBe('SIGKILL');
    const after = Object.fromEntries(readdirSync(out).filter((name) => name !== 'charts').map((name) => [name, readFileSync(join(out, name), 'utf8')]));
    expect(after).toEqual(before);
    expect(readdirSync(parent).some((name) => name.startsWith('.report.vsm-tmp-'))).toBe(true);
    // The killed run left its lock and temporary folder: the next run takes both over.
    expect(runCli(['analyze', TICKETS, '--out', out, '--no-html']).status).toBe(0);
    expect(readdirSync(parent).sort()).toEqual(['demo.csv.gz', 'report']);
  }, 120_000);

  it('two runs into one folder at the same time: one writes, the other is refused or runs after it; the folder is never mixed', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'vsm-concurrent-'));
    const out = join(parent, 'report');
    const other = join(parent, 'other.csv');
    writeFileSync(other, readFileSync(TICKETS, 'utf8').replaceAll('T1,', 'X1,'));
    const runs = [spawnCli(['analyze', TICKETS, '--out', out]), spawnCli(['analyze', other, '--out', out])];
    const results = await Promise.all(runs.map((run) => run.done));
    for (const result of results) {
      if (result.status !== 0) {
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^vsm: another vsm run is writing to this output folder · --out .* · got lock .* held by running process \d+ · wait for it to finish, or pass another --out\n$/);
      }
    }
    expect(results.some((result) => result.status === 0)).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { log: { name: string } };
    // Every file of the set names the same log.
    for (const name of ['report.md', 'report.html']) expect(readFileSync(join(out, name), 'utf8')).toContain(json.log.name);
    const otherName = json.log.name === 'tickets' ? 'other' : 'tickets';
    expect(readFileSync(join(out, 'report.md'), 'utf8')).not.toContain(`# ${otherName}`);
    expect(readdirSync(parent).sort()).toEqual(['other.csv', 'report']);
  }, 120_000);
});

describe('the folder derived from the file name is sanitised (issue 11 item 13)', () => {
  it('never leaves reports/ and never hides the folder', () => {
    expect(reportFolderName('..')).toBe('log');
    expect(reportFolderName('.')).toBe('log');
    expect(reportFolderName('../../etc')).toBe('_.._etc');
    expect(reportFolderName('.hidden')).toBe('hidden');
    expect(reportFolderName('a/b\\c:d*e?f"g<h>i|j\u0000k')).toBe('a_b_c_d_e_f_g_h_i_j_k');
    expect(reportFolderName('Prüfung 2024')).toBe('Prüfung 2024');
    expect(reportFolderName('x'.repeat(300))).toHaveLength(60);
  });
  it('vsm analyze ...csv writes into reports/log, not into reports/.. (the current folder)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vsm-derived-'));
    writeFileSync(join(cwd, '...csv'), readFileSync(TICKETS, 'utf8'));
    const result = runCli(['analyze', '...csv', '--no-html'], { cwd });
    expect(result.status).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['...csv', 'reports']);
    expect(readdirSync(join(cwd, 'reports'))).toEqual(['log']);
    expect(existsSync(join(cwd, 'reports', 'log', 'report.json'))).toBe(true);
  });
});
