#!/usr/bin/env node
/**
 * Resource check (issue 11): builds each pathological input shape in a temporary folder and runs the built CLI
 * (`vsm analyze`) on it under `/usr/bin/time -v`, reporting exit code, wall time and peak RSS per shape.
 * Goal: every shape ends with exit 0 or 2 (never 3, never a hang) under 1 GB peak RSS.
 *
 *   npm run build && node bench/pathological.mjs [--only name,name] [--bomb-mb 2048] [--timeout 300] [--keep]
 *
 * A watchdog kills a run whose resident memory passes --kill-mb (default 3072) or that outlives --timeout
 * seconds, so a regression cannot take the shared machine down; such a row says "killed".
 * Results: a markdown table on stdout and in bench/out/pathological.md. Not a unit test (no timing asserts).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'dist/bundle/vsm.js'); // package.json bin.vsm

function flag(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}
const only = flag('only', '')?.split(',').filter(Boolean) ?? [];
const bombMb = Number(flag('bomb-mb', '2048'));
const timeoutS = Number(flag('timeout', '300'));
const killMb = Number(flag('kill-mb', '3072'));
const keep = process.argv.includes('--keep');

const dir = mkdtempSync(join(tmpdir(), 'vsm-pathological-'));

const csvHeader = 'case,activity,timestamp';
function alphabetCsv(activityCount) {
  const rows = [csvHeader];
  const startMs = Date.UTC(2024, 0, 1);
  for (let k = 0; k < activityCount; k++) rows.push(`c${k % 5000},act ${k},${new Date(startMs + k * 1000).toISOString()}`);
  return `${rows.join('\n')}\n`;
}

/** Streams `totalBytes` of `filler` between `prefix` and `suffix` through gzip into `path`. */
async function gzipBomb(path, prefix, filler, totalBytes, suffix) {
  const gzip = createGzip({ level: 9 });
  const done = new Promise((resolve, reject) => gzip.pipe(createWriteStream(path)).on('finish', resolve).on('error', reject));
  gzip.write(prefix);
  const block = Buffer.alloc(1 << 20, filler);
  for (let written = 0; written < totalBytes; written += block.length) {
    if (!gzip.write(block)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end(suffix);
  await done;
}

/** A Jira search export with `issueCount` issues of `changes` status changes each (real field names). */
function writeBigJira(path, issueCount, changes) {
  const out = createWriteStream(path);
  out.write('{"startAt":0,"maxResults":' + issueCount + ',"total":' + issueCount + ',"issues":[');
  const statuses = ['To Do', 'In Progress', 'In Review', 'Done'];
  for (let i = 0; i < issueCount; i++) {
    const created = Date.UTC(2023, 0, 1) + i * 60_000;
    const histories = Array.from({ length: changes }, (_, k) => ({
      id: String(i * 100 + k),
      author: { displayName: `person ${k % 7}`, accountId: `acc-${k % 7}` },
      created: new Date(created + (k + 1) * 3_600_000).toISOString().replace('Z', '+0000'),
      items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: statuses[k % 4], toString: statuses[(k + 1) % 4], description: 'x'.repeat(200) }],
    }));
    const issue = { id: String(i), key: `BIG-${i}`, fields: { created: new Date(created).toISOString().replace('Z', '+0000'), status: { name: 'Done', statusCategory: { key: 'done' } }, summary: 'y'.repeat(300) }, changelog: { startAt: 0, maxResults: 100, total: changes, histories } };
    out.write((i > 0 ? ',' : '') + JSON.stringify(issue));
  }
  out.write(']}');
  return new Promise((resolve) => out.end(resolve));
}

const shapes = [
  {
    name: 'far-future-9999',
    note: '4-row CSV, one 9999-12-31T23:59:59Z',
    build: (p) => writeFileSync(p, `${csvHeader}\nc1,A,2024-01-01T00:00:00Z\nc1,B,2024-01-02T00:00:00Z\nc2,A,2024-01-03T00:00:00Z\nc2,B,9999-12-31T23:59:59Z\n`),
    file: 'far.csv',
  },
  {
    name: 'far-future-epoch',
    note: '4-row CSV, one epoch 8,600,000,000,000 s',
    build: (p) => writeFileSync(p, `${csvHeader}\nc1,A,1704067200\nc1,B,1704153600\nc2,A,1704240000\nc2,B,8600000000000\n`),
    file: 'epoch.csv',
  },
  {
    name: 'wide-csv-100k',
    note: '1 row × 100,000 empty columns after case,activity,timestamp',
    build: (p) => writeFileSync(p, `${csvHeader}${',x'.repeat(100_000).replace(/x/g, (_, k) => `c${k}`)}\nc1,A,2024-01-01T00:00:00Z${','.repeat(100_000)}\n`),
    file: 'wide.csv',
  },
  { name: 'activities-1000', note: '1,000 distinct activities, 1,000 events', build: (p) => writeFileSync(p, alphabetCsv(1000)), file: 'a1000.csv' },
  { name: 'activities-200000', note: '200,000 distinct activities, 200,000 events', build: (p) => writeFileSync(p, alphabetCsv(200_000)), file: 'a200k.csv' },
  {
    name: 'activities-200000-json',
    note: 'same, --no-html --json to stdout',
    build: (p) => writeFileSync(p, alphabetCsv(200_000)),
    file: 'a200k-json.csv',
    args: ['--no-html', '--json'],
  },
  {
    name: 'xes-gzip-bomb',
    note: `.xes.gz, one ${bombMb} MB attribute value`,
    build: (p) => gzipBomb(p, '<?xml version="1.0"?><log xes.version="1.0"><trace><string key="concept:name" value="c1"/><event><string key="concept:name" value="', 'a', bombMb << 20, '"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event></trace></log>'),
    file: 'bomb.xes.gz',
  },
  {
    name: 'json-gzip-bomb',
    note: `.json.gz, ${bombMb} MB of whitespace`,
    build: (p) => gzipBomb(p, '{"issues":[', ' ', bombMb << 20, ']}'),
    file: 'bomb.json.gz',
    args: ['--source', 'jira'],
  },
  {
    name: 'big-jira-json',
    note: 'Jira JSON, 60,000 issues × 8 changes (≈ 230 MB)',
    build: (p) => writeBigJira(p, 60_000, 8),
    file: 'big-jira.json',
    args: ['--source', 'jira', '--no-html'],
  },
];

/** Children of a process (Linux /proc), to find node under /usr/bin/time. */
function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function run(shape, input) {
  const out = join(dir, `out-${shape.name}`);
  const args = ['-v', process.execPath, BIN, 'analyze', input, '--out', out, '--no-progress', ...(shape.args ?? [])];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('/usr/bin/time', args, { env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
    let killedBecause = null;
    const watchdog = setInterval(() => {
      const nodePid = childPids(child.pid)[0];
      if (nodePid === undefined) return;
      if (rssMb(nodePid) > killMb) killedBecause = `killed above ${killMb} MB`;
      else if (Date.now() - started > timeoutS * 1000) killedBecause = `killed after ${timeoutS} s`;
      if (killedBecause) process.kill(nodePid, 'SIGKILL');
    }, 100);
    child.on('close', () => {
      clearInterval(watchdog);
      const exit = /Exit status: (\d+)/.exec(stderr)?.[1] ?? (/Command terminated by signal (\d+)/.test(stderr) ? 'signal' : '?');
      const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0);
      const toolLines = stderr.split('\n').filter((line) => line.startsWith('vsm:') || /^\s+at /.test(line) === false && /Error/.test(line));
      resolve({
        shape: shape.name,
        note: shape.note,
        exit: killedBecause ?? exit,
        wallS: ((Date.now() - started) / 1000).toFixed(1),
        peakMb: Math.round(peakKb / 1024),
        message: (toolLines[0] ?? '').slice(0, 160),
      });
    });
  });
}

const rows = [];
for (const shape of shapes) {
  if (only.length > 0 && !only.includes(shape.name)) continue;
  const input = join(dir, shape.file);
  process.stderr.write(`building ${shape.name}…\n`);
  await shape.build(input);
  process.stderr.write(`running ${shape.name}…\n`);
  const row = await run(shape, input);
  rows.push(row);
  process.stderr.write(`  ${row.exit} · ${row.wallS} s · ${row.peakMb} MB ${row.message}\n`);
  rmSync(input, { force: true });
  rmSync(join(dir, `out-${shape.name}`), { recursive: true, force: true });
}

const table = [
  '| shape | input | exit | wall s | peak RSS MB | < 1 GB | message |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((row) => `| ${row.shape} | ${row.note} | ${row.exit} | ${row.wallS} | ${row.peakMb} | ${row.peakMb < 1024 ? 'yes' : '**no**'} | ${row.message.replace(/\|/g, '\\|')} |`),
].join('\n');
process.stdout.write(`${table}\n`);
mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(join(ROOT, 'bench/out/pathological.md'), `${table}\n`);
if (!keep) rmSync(dir, { recursive: true, force: true });
else if (existsSync(dir)) process.stderr.write(`inputs kept in ${dir}\n`);
