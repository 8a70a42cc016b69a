#!/usr/bin/env node
// Non-ISO dates against ISO dates on the same log (issue 14 target: a `dd/MMM/yy h:mm a` log in Europe/Berlin
// reads in under 2× the time of the same log with ISO dates). Both variants hold offset-less wall-clock times in
// Europe/Berlin and are read with --timezone Europe/Berlin, so the only difference is how the dates are written.
//   node bench/dates.mjs                 1 M events
//   node bench/dates.mjs --events 100000 --out /tmp/bench
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateLogFile } from './generate.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ZONE = 'Europe/Berlin';
const JIRA_FORMAT = 'dd/MMM/yy h:mm a';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const wallClock = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const pad = (n) => String(n).padStart(2, '0');

/** The Berlin wall-clock fields of an ISO instant (minute precision, as Jira's CSV export writes). */
function berlinFields(iso) {
  const parts = Object.fromEntries(wallClock.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

function isoWallClock(f) {
  return `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}`;
}

function jiraWallClock(f) {
  const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  return `${pad(f.day)}/${MONTHS[f.month - 1]}/${pad(f.year % 100)} ${hour12}:${pad(f.minute)} ${f.hour < 12 ? 'AM' : 'PM'}`;
}

/** Rewrites every ISO cell of the generated CSV into both wall-clock variants (cached by name). */
async function writeVariants(source, isoPath, jiraPath) {
  if (existsSync(isoPath) && existsSync(jiraPath)) return;
  const iso = createWriteStream(isoPath);
  const jira = createWriteStream(jiraPath);
  const cache = new Map();
  let header = true;
  for await (const line of createInterface({ input: createReadStream(source) })) {
    if (header) {
      header = false;
      iso.write(`${line}\n`);
      jira.write(`${line}\n`);
      continue;
    }
    const cells = line.split(',');
    const isoCells = [...cells];
    const jiraCells = [...cells];
    for (let c = 0; c < cells.length; c++) {
      if (!/^\d{4}-\d\d-\d\dT/.test(cells[c])) continue;
      let fields = cache.get(cells[c]);
      if (fields === undefined) {
        fields = berlinFields(cells[c]);
        if (cache.size > 1_000_000) cache.clear();
        cache.set(cells[c], fields);
      }
      isoCells[c] = isoWallClock(fields);
      jiraCells[c] = `"${jiraWallClock(fields)}"`;
    }
    if (!iso.write(`${isoCells.join(',')}\n`)) await new Promise((r) => iso.once('drain', r));
    if (!jira.write(`${jiraCells.join(',')}\n`)) await new Promise((r) => jira.once('drain', r));
  }
  await Promise.all([new Promise((r) => iso.end(r)), new Promise((r) => jira.end(r))]);
}

function measure(path, dateFormat) {
  const args = [join(BENCH_DIR, 'measure.mjs'), '--file', path, '--format', 'csv', '--timezone', ZONE];
  if (dateFormat !== undefined) args.push('--date-format', dateFormat);
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const answer = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
  if (!answer.ok) throw new Error(`measure failed on ${path}: ${answer.error ?? child.stderr}`);
  return answer;
}

/**
 * Writes both variants of an `events`-event log (cached in outDir), reads each `repeats` times in fresh processes
 * and returns the best read of each and the ratio of their read times. Throws when the variants disagree.
 */
export async function runDatesBench({ events, outDir, repeats = 3 }) {
  mkdirSync(outDir, { recursive: true });
  const source = join(outDir, `dates-source-${events}.csv`);
  if (!existsSync(source)) await generateLogFile({ events, format: 'csv', seed: 42, out: source });
  const isoPath = join(outDir, `dates-iso-berlin-${events}.csv`);
  const jiraPath = join(outDir, `dates-jira-berlin-${events}.csv`);
  await writeVariants(source, isoPath, jiraPath);
  const best = (path, format) => {
    const runs = Array.from({ length: repeats }, () => measure(path, format));
    return runs.reduce((a, b) => (b.readSeconds < a.readSeconds ? b : a));
  };
  const iso = best(isoPath, undefined);
  const jira = best(jiraPath, JIRA_FORMAT);
  if (iso.events !== jira.events || iso.rowsRejected !== 0 || jira.rowsRejected !== 0) {
    throw new Error(`the variants disagree: ISO ${iso.events} events (${iso.rowsRejected} rejected), Jira ${jira.events} (${jira.rowsRejected} rejected)`);
  }
  return { events, repeats, zone: ZONE, format: JIRA_FORMAT, iso, jira, ratio: jira.readSeconds / iso.readSeconds };
}

/** The result as a Markdown table and the ratio line. */
export function datesMarkdown(result) {
  const line = (name, r) => `| ${name} | ${r.events.toLocaleString('en-US')} | ${r.readSeconds.toFixed(2)} | ${r.readCpuSeconds.toFixed(2)} | ${Math.round(r.maxRssMB)} |`;
  return [
    `Dates bench: ${result.events.toLocaleString('en-US')} events, wall-clock times in ${result.zone}, best of ${result.repeats}`,
    '| dates | events | read s | CPU s | peak RSS MiB |',
    '|---|---|---|---|---|',
    line('ISO `yyyy-MM-dd HH:mm`', result.iso),
    line(`\`${result.format}\` (--date-format)`, result.jira),
    `non-ISO ÷ ISO read time: ${result.ratio.toFixed(2)}× (target < 2×)`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      out: { type: 'string', default: join(BENCH_DIR, 'out') },
      repeats: { type: 'string', default: '3' },
    },
  });
  const events = Number(values.events);
  const repeats = Number(values.repeats);
  if (!Number.isSafeInteger(events) || events <= 0 || !Number.isSafeInteger(repeats) || repeats <= 0) {
    console.error(`--events and --repeats take whole numbers > 0 · got ${values.events}, ${values.repeats}`);
    process.exit(2);
  }
  try {
    console.log(datesMarkdown(await runDatesBench({ events, outDir: resolve(values.out), repeats })));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
