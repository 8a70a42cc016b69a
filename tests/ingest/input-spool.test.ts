import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { BIN, ROOT } from '../cli/run-cli.js';

/** Issue 11 #9: standard input, pipes and FIFOs are read (through a temporary copy), never ESPIPE or a silent hang. */
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-spool-`);
});

const TICKETS = join(ROOT, 'fixtures/cli/tickets.csv');
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

describe.skipIf(!hasMkfifo)('named pipes (FIFO)', () => {
  it('a FIFO that a writer fills is read like the file, and named as the FIFO in the report', async () => {
    const fifo = join(dir, 'tickets.fifo');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat "${TICKETS}" > "${fifo}"`]);
    const writerDone = new Promise((resolve) => writer.on('close', resolve));
    const { log, report } = await readLog(fifo);
    expect(log.eventCount).toBe(19);
    expect(report.files).toEqual([fifo]);
    expect(report.notes).toContain(`input read from a pipe (${fifo}): copied to a temporary file first, then removed`);
    await writerDone;
  });

  it('a FIFO nobody writes to stops with INPUT_NOT_READY after the timeout instead of hanging', async () => {
    const fifo = join(dir, 'silent.fifo');
    spawnSync('mkfifo', [fifo]);
    await expect(readLog(fifo, { limits: { pipeOpenTimeoutMs: 200 } })).rejects.toMatchObject({ code: 'INPUT_NOT_READY', where: fifo });
    // Release the open still waiting in the thread pool: a writer opening and closing lets it finish.
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  });
});

describe('standard input and process substitution through the CLI', () => {
  it('vsm inspect - reads standard input (CSV), and a gzipped XES on standard input', () => {
    const csv = spawnSync(process.execPath, [BIN, 'inspect', '-'], { input: readFileSync(TICKETS), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(csv.status).toBe(0);
    expect(csv.stdout).toContain('rows read 19 = used 19');
    const xes = spawnSync('sh', ['-c', `gzip -c "${join(ROOT, 'fixtures/xes/lifecycle-pairs.xes')}" | "${process.execPath}" "${BIN}" inspect -`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(xes.status).toBe(0);
    expect(xes.stdout).toContain('xes (sniffed: XML with <log> (XES))');
  });

  it.skipIf(spawnSync('bash', ['--version']).status !== 0)('vsm inspect <(cat tickets.csv) reads the pipe (was ESPIPE, exit 3)', () => {
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" inspect <(cat "${TICKETS}")`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('rows read 19 = used 19');
  });

  it('vsm analyze - writes a report named "stdin" with no input hash', () => {
    const out = join(dir, 'stdin-report');
    const result = spawnSync(process.execPath, [BIN, 'analyze', '-', '--out', out, '--no-html'], { input: readFileSync(TICKETS), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { log: { name: string } };
    expect(report.log.name).toBe('stdin');
  });
});
