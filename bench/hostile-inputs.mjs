#!/usr/bin/env node
// Resource check for the ingest caps (issue 11, docs/limits.md): writes hostile inputs to a temporary folder,
// streaming to disk, then reads each with the built library in a fresh child process and prints the outcome
// (events read, or the error code), wall seconds, CPU seconds (user + system: a shared machine inflates wall time,
// much less CPU time) and peak RSS. Not a unit test: sizes here are the real ones.
//   node bench/hostile-inputs.mjs                   all shapes at full size (a few GB of disk, minutes)
//   node bench/hostile-inputs.mjs --scale 0.1       the same shapes at a tenth of the size
//   VSM_DIST=/other/dist node bench/hostile-inputs.mjs   another build (e.g. main) for before/after numbers
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, only: { type: 'string' } } });
const scale = Number(values.scale);
const MiB = 1024 * 1024;
const dist = resolve(process.env.VSM_DIST ?? fileURLToPath(new URL('../dist', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'vsm-hostile-'));

const issue = (k) =>
  JSON.stringify({
    key: `P-${k}`,
    fields: { status: { name: 'Done', statusCategory: { key: 'done' } }, created: '2024-01-01T09:00:00.000+0000', description: 'x'.repeat(400) },
    changelog: {
      histories: [
        { id: `${k}1`, created: '2024-01-02T09:00:00.000+0000', items: [{ field: 'status', fromString: 'To Do', toString: 'In Progress' }] },
        { id: `${k}2`, created: '2024-01-03T09:00:00.000+0000', items: [{ field: 'status', fromString: 'In Progress', toString: 'Done' }] },
      ],
    },
  });

async function write(name, parts, gzip = false) {
  const path = join(dir, name);
  const stages = [Readable.from(parts()), ...(gzip ? [createGzip({ level: 9 })] : []), createWriteStream(path)];
  await pipeline(...stages);
  return path;
}

const SHAPES = {
  /** A Jira search page of ~629 MB (the size that overflowed one string before streaming). */
  'jira-629MB.json': () =>
    write('jira-big.json', async function* () {
      yield '{"issues":[';
      const target = 629 * MiB * scale;
      let bytes = 0;
      for (let k = 0; bytes < target; k++) {
        const text = (k > 0 ? ',' : '') + issue(k);
        bytes += text.length;
        yield text;
      }
      yield '],"total":0}';
    }),
  /** 2 GB of whitespace inside a Jira page, gzipped (~2 MB): the gzip-bomb shape. */
  'whitespace-2GB.json.gz': () =>
    write(
      'bomb.json.gz',
      async function* () {
        yield `{"issues":[${issue(1)},`;
        const block = ' '.repeat(MiB);
        for (let k = 0; k < 2048 * scale; k++) yield block;
        yield `${issue(2)}]}`;
      },
      true,
    ),
  /** One 2 GB XES comment, gzipped. */
  'xes-comment-2GB.xes.gz': () =>
    write(
      'comment.xes.gz',
      async function* () {
        yield '<log><trace><string key="concept:name" value="c"/><event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event></trace><!--';
        const block = 'abcdefgh'.repeat(MiB / 8);
        for (let k = 0; k < 2048 * scale; k++) yield block;
        yield '--></log>';
      },
      true,
    ),
  /** A CSV of 1 row × 200,000 empty columns. */
  'csv-200k-columns.csv': () =>
    write('wide.csv', async function* () {
      yield `case,activity,timestamp${',c'.repeat(200_000 * scale)}\n`;
      yield `A,x,2024-01-01T00:00:00Z${','.repeat(200_000 * scale)}\n`;
    }),
};

const child = `
const { readLog } = await import(${JSON.stringify(join(dist, 'index.js'))});
const started = performance.now();
let outcome;
try { const { report } = await readLog(process.argv[1]); outcome = 'read ' + report.rowsRead + ' rows'; }
catch (error) { outcome = (error.code ?? error.name) + ': ' + String(error.message).slice(0, 140); }
const cpu = process.cpuUsage();
console.log(JSON.stringify({ outcome, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
`;

console.log(`hostile inputs at scale ${scale} with ${dist}`);
for (const [name, make] of Object.entries(SHAPES)) {
  if (values.only && !name.includes(values.only)) continue;
  const path = await make();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', child, path], { encoding: 'utf8', maxBuffer: 16 * MiB });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    result = { outcome: `crashed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-1)[0]}`, seconds: NaN, cpuSeconds: NaN, peakRssMB: NaN };
  }
  console.log(`${name.padEnd(26)} ${String(result.peakRssMB).padStart(6)} MB  ${result.seconds.toFixed(1).padStart(6)} s  ${(result.cpuSeconds ?? NaN).toFixed(1).padStart(6)} s CPU  ${result.outcome}`);
  rmSync(path, { force: true });
}
rmSync(dir, { recursive: true, force: true });
